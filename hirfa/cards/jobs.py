"""Background jobs of the cards."""

from hirfa.core.jobs import job


@job
def issue_card(registration_id: int, reason: str, cause: str = "") -> int | None:
    from hirfa.cards import services

    card = services.issue_for(registration_id, reason, cause)
    return card.pk if card is not None else None


@job
def issue_first_cards() -> int:
    from hirfa.cards import services

    return services.issue_first_cards()
