"""Writes on the health coverage. Every change goes through here, in a transaction, with an
audit entry naming its source ("cnss:batch:<id>", "agent", "rule:<name>").

The cnss app calls the functions of `exchange` and `payments` to apply what the CNSS says
(docs/cnss-exchange.md); a rule violation raises DomainError, which its importer turns
into a rejected line. Who may do what is `hirfa.coverage.policy`'s.

- `enrolments`: dues and rights as the rules judge them; closing, sending again;
- `exchange`: the CNSS's answers about enrolments and dependants; `payments`: contributions;
  `bulk`: the set-based writing both share;
- `dependants`: spouses and children; `schedule`: the contribution amounts;
- `daily`: the daily pass of the rules.
"""

from hirfa.coverage.services.bulk import tell_artisans
from hirfa.coverage.services.daily import apply_rules
from hirfa.coverage.services.dependants import (
    attach_dependant_document,
    clean_dependant,
    confirm_dependant,
    declare_dependant,
    missing_documents,
    refuse_dependant,
    required_documents,
)
from hirfa.coverage.services.enrolments import (
    close_enrolment,
    expected_opening,
    registration_struck_off,
    send_again,
    statement_of,
)
from hirfa.coverage.services.exchange import (
    mark_dependants_sent,
    mark_sent,
    record_dependant_decision,
    record_immatriculation,
    record_immatriculations,
    record_rejection,
    record_rejections,
    record_rights,
    record_rights_statements,
)
from hirfa.coverage.services.payments import assess_payers, record_payment, record_payments
from hirfa.coverage.services.schedule import add_rates, monthly_amount

__all__ = [
    "add_rates",
    "apply_rules",
    "assess_payers",
    "attach_dependant_document",
    "clean_dependant",
    "close_enrolment",
    "confirm_dependant",
    "declare_dependant",
    "expected_opening",
    "mark_dependants_sent",
    "mark_sent",
    "missing_documents",
    "monthly_amount",
    "record_dependant_decision",
    "record_immatriculation",
    "record_immatriculations",
    "record_payment",
    "record_payments",
    "record_rejection",
    "record_rejections",
    "record_rights",
    "record_rights_statements",
    "refuse_dependant",
    "registration_struck_off",
    "required_documents",
    "send_again",
    "statement_of",
    "tell_artisans",
]
