"""What the artisan reads about their coverage: where it stands and the next step, in plain
words (the screens and the API say the same)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hirfa.coverage import policy, services
from hirfa.coverage.models import State
from hirfa.register.models import Registration


@dataclass
class Status:
    title: str
    text: str
    next_step: str
    tone: str  # "ok", "wait" or "act"


def _money(amount) -> str:
    return number_format(amount, 2)


def _date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def status_of(registration: Registration | None, enrolment, statement) -> Status:
    """Where the artisan's coverage stands and what to do next, in plain words."""
    today = timezone.localdate()
    if registration is None or registration.status == Registration.Status.STRUCK_OFF:
        return Status(
            _("You are not covered yet"),
            _(
                "For artisans who pay no tax, the National Register is the door to health "
                "insurance."
            ),
            _("Register in the National Register first."),
            "act",
        )
    state = enrolment.state if enrolment else State.NOT_ENROLLED
    if policy.awaits_sending_again(enrolment):
        return Status(
            _("The CNSS could not register you"),
            _("The CNSS said: %(reason)s") % {"reason": enrolment.rejection_reason},
            _(
                "Go to your chamber of crafts with your national identity card to correct your "
                "file. We will send it again."
            ),
            "act",
        )
    if state == State.NOT_ENROLLED:
        return Status(
            _("We will send your file to the CNSS"),
            _(
                "You are registered: we send your file to the CNSS, who registers you for health "
                "insurance."
            ),
            _("You have nothing to do. We will send you an SMS with your CNSS number."),
            "wait",
        )
    if state == State.SENT:
        return Status(
            _("The CNSS is registering you"),
            _("We sent your file to the CNSS on %(date)s.") % {"date": _date(enrolment.sent_on)},
            _("Wait for your CNSS number: we will send you an SMS."),
            "wait",
        )
    current = statement.current if statement else None
    amount = current.due if current else None
    pay = (
        _("Pay %(amount)s dirhams each month to the CNSS (at an agency or on its portal).")
        % {"amount": _money(amount)}
        if amount
        else _("Pay your contribution each month to the CNSS.")
    )
    if statement and statement.unpaid:
        pay = _("You owe %(amount)s dirhams. Pay them at a CNSS agency or on its portal.") % {
            "amount": _money(statement.arrears)
        }
    if state == State.IMMATRICULATED:
        opens = services.expected_opening(enrolment)
        if opens and opens >= today:
            text = _("Your health insurance opens on %(date)s if you pay your contributions.") % {
                "date": _date(opens)
            }
        else:
            text = _("Your health insurance opens once your first contributions are paid.")
        return Status(_("You are registered with the CNSS"), text, pay, "act")
    if state == State.RIGHTS_OPEN:
        if enrolment.rights_open_on and enrolment.rights_open_on > today:
            text = _("Your health insurance opens on %(date)s, for you and your family.") % {
                "date": _date(enrolment.rights_open_on)
            }
        else:
            text = _("You and your family are covered since %(date)s, without ceiling.") % {
                "date": _date(enrolment.rights_open_on)
            }
        return Status(_("Your health insurance is open"), text, pay, "ok")
    if state == State.SUSPENDED:
        return Status(
            _("Your health insurance is suspended"),
            _(
                "Since %(date)s, because contributions are unpaid. Your family is not covered "
                "either."
            )
            % {"date": _date(enrolment.suspended_on)},
            _("Pay the %(amount)s dirhams you owe: your insurance opens again.")
            % {"amount": _money(statement.arrears) if statement else ""},
            "act",
        )
    return Status(
        _("Your health insurance through the register is closed"),
        _("Since %(date)s: %(reason)s.")
        % {"date": _date(enrolment.closed_on), "reason": enrolment.get_closing_reason_display()},
        _("If you think this is a mistake, go to your chamber of crafts."),
        "act",
    )
