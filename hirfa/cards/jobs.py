"""Background jobs of the cards."""

from hirfa.cards import issuing
from hirfa.core.jobs import job


@job
def issue_card(registration_id: int, reason: str, cause: str = "") -> int | None:
    card = issuing.issue_for(registration_id, reason, cause)
    return card.pk if card is not None else None


@job
def issue_first_cards() -> int:
    return issuing.issue_first_cards()
