"""Cards for the demo register: issued, some printed and handed over, some revoked.

Idempotent: only the demo register's registrations without any card get cards, so a second
run adds none (the outreach demo's artisans, filed after this step, keep their own stages).
Issued as the approval's job would (same cause), so the queued jobs then find them done.
"""

import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hirfa.accounts.models import User
from hirfa.cards import issuing, keys, services
from hirfa.cards.models import Card
from hirfa.register.models import Dossier, Registration


def ensure_signing_key() -> None:
    if not any(key.valid_at(timezone.now()) for key in keys.all_keys()):
        keys.create_key()


def _demo_agent(registration):
    return User.objects.get(username=f"demo.agent.{registration.province.region.code}")


def load_demo_cards() -> dict:
    ensure_signing_key()
    rng = random.Random(85_54)  # ID-1: 85.6 × 54 mm
    registrations = (
        Registration.objects.filter(cards__isnull=True)
        .filter(Q(person__cnie__startswith="DM") | Q(entity__isnull=False))
        .select_related("person", "entity", "principal_activity", "province__region")
        .order_by("number")
    )
    issued = 0
    for registration in registrations:
        dossier = (
            Dossier.objects.filter(registration=registration, state=Dossier.State.APPROVED)
            .order_by("decided_at")
            .first()
        )
        cause = f"dossier:{dossier.pk}" if dossier else ""
        with transaction.atomic():
            card = issuing.issue(registration, None, Card.IssueReason.APPROVED, cause=cause)
            issued += 1
            if registration.status == Registration.Status.SUSPENDED:
                issuing.revoke(card, None, Card.RevocationReason.SUSPENDED, suspend=True)
                continue
            if registration.status == Registration.Status.STRUCK_OFF:
                issuing.revoke(card, None, Card.RevocationReason.STRUCK_OFF)
                continue
            if registration.entity_id is not None:
                continue  # cooperatives' cards wait in the print queue
            draw = rng.random()
            agent = _demo_agent(registration)
            if draw < 0.08:
                services.reissue(actor=agent, registration=registration, reason="lost", note="Demo")
            elif draw < 0.55:
                card = services.mark_printed(actor=agent, card=card)
                if draw < 0.35:
                    name = registration.registrant_name_latin
                    services.hand_over(actor=agent, card=card, received_by=name, acknowledged=True)
    return {
        "issued": issued,
        "current": Card.objects.filter(status=Card.Status.CURRENT).count(),
        "revoked": Card.objects.exclude(status=Card.Status.CURRENT).count(),
    }
