"""Writes of the field app (docs/decisions/0060): photos staged ahead of their item, and each
item applied at most once, in one transaction, through the register's and outreach's own
services (no rule of theirs is repeated here).

An item's id (a UUID the phone gave it when it was captured) is its idempotency key for
ever: the `FieldItem` row is inserted first in the item's transaction, so a second
delivery of the same id either waits for the first and finds it, or finds it at once; a
crash before the commit leaves nothing, after it the first answer is kept and replayed.
"""

import hashlib
import json
from datetime import datetime, timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.duplicates.services import likely_duplicates
from hirfa.field import hooks, inbox, policy, selectors
from hirfa.field.models import FieldAttachment, FieldItem
from hirfa.outreach import services as outreach
from hirfa.register import services as register
from hirfa.register.documents import JPEG, PNG, check_upload
from hirfa.register.models import DocumentRequirement
from hirfa.territory.models import Commune

State, Reason = FieldItem.State, FieldItem.Reason
MAX_ATTACHMENTS = 8


def body_hash(kind: str, body: dict, captured_at: datetime) -> str:
    """What makes two deliveries "the same item": its kind, body and capture time."""
    canonical = json.dumps(
        {"kind": kind, "body": body, "captured_at": captured_at.isoformat()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _refuse_other_agent(agent, owner_id) -> None:
    if owner_id != agent.pk:
        raise Forbidden(_("This item was captured by another agent: it cannot be sent from here."))


# --- Photos, sent first -------------------------------------------------------------------


def stage_attachment(*, agent, uuid, kind: str, data: bytes, name: str = "") -> FieldAttachment:
    """Keep a photo until its item is applied. The same id sent again with the same bytes
    is answered with the first copy; with other bytes, refused (409)."""
    if not policy.may_use_field_app(agent):
        raise Forbidden()
    sent = hashlib.sha256(data).hexdigest()
    existing = FieldAttachment.objects.filter(uuid=uuid).first()
    if existing is not None:
        _refuse_other_agent(agent, existing.uploaded_by_id)
        if existing.sent_sha256 != sent:
            raise Conflict(
                _("This photo's id was already used for another photo."), code="id_reused"
            )
        return existing
    if not DocumentRequirement.objects.filter(code=str(kind)[:40]).exists():
        raise DomainError(_("This kind of document is not asked."), code="unknown_kind")
    try:
        checked = check_upload(ContentFile(data, name=name or "photo.jpg"), allowed=(JPEG, PNG))
    except DomainError as error:
        if error.code == "too_large":
            error.status = 413
        raise
    try:
        with transaction.atomic():
            attachment = FieldAttachment.objects.create(
                uuid=uuid,
                kind=kind,
                sent_sha256=sent,
                **checked.stored_fields(ContentFile(b"", name=name or "photo.jpg"), agent),
            )
    except IntegrityError:  # the same photo arrived twice at once
        return stage_attachment(agent=agent, uuid=uuid, kind=kind, data=data, name=name)
    return attachment


# --- Items ----------------------------------------------------------------------------------


def _answer(item: FieldItem, message: str, **extra) -> dict:
    return {
        "id": str(item.uuid),
        "kind": item.kind,
        "state": item.state,
        "reason": item.reason,
        "message": str(message),
        **extra,
    }


def _error_answer(item: FieldItem, error: DomainError) -> dict:
    fields = {name: [str(m) for m in messages] for name, messages in error.fields.items()}
    return _answer(item, error.message, code=error.code, fields=fields)


def submit_item(
    *, agent, uuid, kind: str, body: dict, captured_at: datetime, sent_at: datetime, now=None
) -> tuple[int, dict]:
    """Apply one item captured in the field, at most once; returns (status, answer).

    Refusals that are final (bad data, out of the agent's territory, expired) are kept as the
    item's first answer too; those that are not the item's fault (a session gone, a photo not
    yet received, another body under the same id) are raised and keep nothing.
    """
    if not policy.may_use_field_app(agent):
        raise Forbidden()
    if kind not in FieldItem.Kind.values:
        raise DomainError(_("Unknown kind of item."), code="unknown_kind")
    digest = body_hash(kind, body, captured_at)
    existing = FieldItem.objects.filter(uuid=uuid).first()
    if existing is not None:
        return _replay(agent, existing, digest)
    if body.get("agent") != selectors.agent_key(agent):
        raise Forbidden(
            _("This item was captured under another agent's session: it cannot be sent from here."),
            code="other_agent",
        )
    now = now or timezone.now()
    skew = round((sent_at - now).total_seconds())
    try:
        with transaction.atomic():
            # Inserted first: a concurrent delivery of the same id waits on this row.
            item = FieldItem.objects.create(
                uuid=uuid,
                agent=agent,
                kind=kind,
                body_sha256=digest,
                body=body,
                state=State.APPLIED,
                answer={},
                status=0,
                captured_at=captured_at,
                clock_skew_seconds=skew,
            )
            status, answer = _apply(agent, item, now)
            item.status, item.answer = status, answer
            item.save(
                update_fields=["status", "answer", "state", "reason", "province_code", "dossier"]
            )
            record(
                actor=agent,
                action=f"field_item.{item.state}",
                obj=item,
                province_code=item.province_code or None,
                data={
                    "uuid": str(item.uuid),
                    "kind": kind,
                    "reason": item.reason,
                    "captured_at_device": captured_at.isoformat(),
                    "clock_skew_seconds": skew,
                    "received_at": now.isoformat(),
                    "dossier": item.dossier_id,
                },
            )
            if item.state == State.ATTENTION:
                inbox.tell_attention(item)
    except IntegrityError:
        first = FieldItem.objects.filter(uuid=uuid).first()
        if first is None:
            raise  # not the same id delivered twice at once
        return _replay(agent, first, digest)
    hooks.after_commit(item)  # a test stops the server here (ADR 0060)
    return status, answer | _clock_note(skew)


def _clock_note(skew: int) -> dict:
    if not policy.clock_is_off(skew):
        return {}
    minutes = round(abs(skew) / 60)
    return {
        "clock": _(
            "This phone's clock is off by about %(minutes)s minutes: set it right. The "
            "capture time is kept as the phone gave it, beside the server's."
        )
        % {"minutes": minutes}
    }


def _replay(agent, item: FieldItem, digest: str) -> tuple[int, dict]:
    _refuse_other_agent(agent, item.agent_id)
    if item.body_sha256 != digest:
        raise Conflict(
            _(
                "This item's id was already sent with other content. The first one is kept; "
                "capture the change as a new item."
            ),
            code="id_reused",
        )
    return item.status, item.answer | {"replayed": True}


def _apply(agent, item: FieldItem, now) -> tuple[int, dict]:
    """Apply `item` (already inserted) in a savepoint; set its state and return its answer."""
    if policy.is_expired(server_time(item), now):
        item.state = State.REFUSED
        error = DomainError(
            _("This item waited on the phone longer than allowed and has expired."),
            code="expired",
            status=410,
        )
        return 410, _error_answer(item, error)
    apply = _apply_registration if item.kind == FieldItem.Kind.REGISTRATION else _apply_check_in
    try:
        with transaction.atomic():
            return apply(agent, item)
    except MissingAttachment:
        raise  # not the item's fault: nothing is kept, the phone sends the photo again
    except DomainError as error:
        return _settle_error(item, error)


def server_time(item: FieldItem) -> datetime:
    """When the item was captured, by the server's clock (the phone's corrected by its skew)."""
    return item.captured_at - timedelta(seconds=item.clock_skew_seconds)


def _settle_error(item: FieldItem, error: DomainError) -> tuple[int, dict]:
    """A refusal by the register: a conflict that a person must look at keeps the item as
    needing attention; anything else is a final refusal, kept with its reason."""
    if item.kind == FieldItem.Kind.REGISTRATION:
        retired = selectors.retired_codes(item.body)
        if isinstance(error, Conflict) and "cnie" in error.fields:
            return _attention(item, Reason.CNIE_TAKEN, error.message)
        if retired and not isinstance(error, Forbidden):
            return _attention(
                item,
                Reason.RETIRED,
                _(
                    "A commune or an activity of this registration is no longer in the lists: "
                    "%(codes)s."
                )
                % {"codes": ", ".join(retired)},
            )
    item.state = State.REFUSED
    return error.status, _error_answer(item, error)


def _attention(item: FieldItem, reason: str, message) -> tuple[int, dict]:
    item.state, item.reason = State.ATTENTION, reason
    if not item.province_code:
        item.province_code = _province_of(item.body)
    return 202, _answer(item, message)


def _province_of(body: dict) -> str:
    code = str((body.get("craft") or {}).get("workplace_commune") or "")
    commune = Commune.objects.select_related("province").filter(code=code).first()
    return commune.province.code if commune else ""


def _apply_registration(agent, item: FieldItem) -> tuple[int, dict]:
    body = item.body
    refs = body.get("attachments") or []
    if not isinstance(refs, list) or len(refs) > MAX_ATTACHMENTS:
        raise DomainError(_("Too many photos for one registration."), code="too_many")
    refs = list({str(ref.get("id")): ref for ref in refs}.values())  # each photo once
    staged = selectors.staged_attachments(agent, [str(ref.get("id")) for ref in refs])
    missing = [ref for ref in refs if str(ref.get("id")) not in staged]
    if missing:
        raise MissingAttachment()
    for attachment in staged.values():
        if attachment.item_id is not None and attachment.item_id != item.pk:
            raise DomainError(_("A photo of this item belongs to another item."), code="reused")
    event = None
    if body.get("event"):
        event = selectors.event_for_field(agent, body["event"])
        if event is None:
            raise Forbidden(_("This event is not one of your territory."), code="event")
    filing = dict(
        agent=agent,
        person_data=body.get("person") or {},
        craft_data=body.get("craft") or {},
        consent=body.get("consent") is True,
    )
    if event is not None:
        dossier = outreach.file_from_attendee(event=event, attendee=None, **filing)
    else:
        dossier = register.file_assisted(**filing)
    for ref in refs:
        attachment = staged[str(ref.get("id"))]
        with attachment.file.open("rb") as content:
            register.attach_document(
                actor=agent,
                dossier=dossier,
                kind=attachment.kind,
                uploaded=File(content, name=attachment.original_name),
            )
        attachment.item = item
        attachment.save(update_fields=["item"])
    item.dossier, item.province_code = dossier, dossier.province.code
    url = reverse("register_staff:desk_dossier", args=[dossier.pk])
    if likely_duplicates(dossier.person):
        item.state, item.reason = State.ATTENTION, Reason.POSSIBLE_DUPLICATE
        message = _(
            "Filed, but this person looks like someone already in the register: check before "
            "sending the file for review."
        )
        return 202, _answer(item, message, dossier=dossier.pk, url=url)
    message = _("Filed: the file of %(name)s is at your desk.") % {
        "name": dossier.registrant_name_latin
    }
    return 201, _answer(item, message, dossier=dossier.pk, url=url)


class MissingAttachment(DomainError):
    """A photo the item names has not arrived: not the item's fault, nothing is kept."""

    status = 409
    code = "attachment_missing"

    def __init__(self):
        super().__init__(_("A photo of this item has not arrived yet: it will be sent again."))


def _apply_check_in(agent, item: FieldItem) -> tuple[int, dict]:
    body = item.body
    event = selectors.event_for_field(agent, body.get("event"))
    if event is None:
        raise Forbidden(_("This event is not one of your territory."), code="event")
    item.province_code = event.province.code
    if body.get("walk_in"):
        attendee, done = outreach.record_walk_in(
            actor=agent,
            event=event,
            name=body.get("name"),
            phone=body.get("phone"),
            cnie=str(body.get("cnie") or ""),
            consent=body.get("consent") is True,
        )
        note = ""
    else:
        attendee, done, note = outreach.check_in_by(
            actor=agent,
            event=event,
            number=str(body.get("number") or ""),
            cnie=str(body.get("cnie") or ""),
            phone=str(body.get("phone") or ""),
        )
    message = (_("%(name)s is checked in.") if done else _("%(name)s was already checked in.")) % {
        "name": attendee.name
    }
    return 201, _answer(item, message, note=str(note or ""))


@transaction.atomic
def settle(*, actor, item: FieldItem) -> FieldItem:
    """Someone looked at an item needing attention and dealt with it: it leaves the queues."""
    item = FieldItem.objects.select_for_update().get(pk=item.pk)
    if item.state != State.ATTENTION:
        raise Conflict(_("This item does not need attention."))
    if item.settled_at is None:
        item.settled_at = timezone.now()
        item.save(update_fields=["settled_at"])
        inbox.resolve_attention(item)
        record(
            actor=actor,
            action="field_item.settled",
            obj=item,
            province_code=item.province_code or None,
            data={"uuid": str(item.uuid), "reason": item.reason},
        )
    return item


def settle_for_dossier(dossier) -> None:
    """The file an item filed moved on (sent for review, withdrawn…): its attention is over."""
    for item in FieldItem.objects.filter(
        dossier=dossier, settled_at__isnull=True, state=State.ATTENTION
    ):
        item.settled_at = timezone.now()
        item.save(update_fields=["settled_at"])
        inbox.resolve_attention(item)
