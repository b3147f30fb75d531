"""The audit trail: one append-only, hash-chained table.

Each entry's `hash` is the SHA-256 of its canonical serialisation (see
`canonical_bytes` and docs/audit.md), which includes the previous entry's hash, so
changing, removing or reordering an entry breaks the chain that `verify_chain`
walks. Its `mac` is the HMAC of that hash under the audit key, kept outside the
database (`hirfa.audit.keys`), so that a rewrite with recomputed hashes shows too.
Entries are written only by `hirfa.audit.services.record`.
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from hirfa.core.prepared_writes import insert_many

# previous_hash of the first entry of the chain.
GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Someone tried to change or delete an audit entry."""

    def __init__(self, message="audit entries are append-only"):
        super().__init__(message)


class AuditEntryQuerySet(models.QuerySet):
    """Refuses the bulk operations that would bypass the chain or rewrite it.

    Raw SQL is stopped by database triggers (see the migration and docs/audit.md).
    """

    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError()

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError(
            "audit entries are written by hirfa.audit.services.record or record_many"
        )

    def append_chained(self, entries: list) -> list:
        """For `hirfa.audit.services.record_many` only: entries already chained to the head
        and keyed under the chain's lock, inserted in one statement (compiled once per
        number of entries, decision 86)."""
        return insert_many(entries, using=self.db)


class AuditEntry(models.Model):
    """Who did what, to which object, when and why. Chain order is `id`."""

    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty when the system acted."),
    )
    actor_label = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True)
    province_code = models.CharField(
        _("province"), max_length=12, null=True, blank=True, db_index=True
    )
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    previous_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    # HMAC-SHA256 of `hash` under the audit key (hirfa.audit.keys). Null only while
    # migration audit.0002 runs.
    mac = models.CharField("MAC", max_length=64, null=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The auditor's search, newest first, by doer or by action (keyset on id).
            models.Index(fields=["actor", "-id"], name="audit_actor_id_idx"),
            models.Index(fields=["action", "-id"], name="audit_action_id_idx"),
        ]

    def __str__(self) -> str:
        target = f" {self.object_type}:{self.object_id}" if self.object_type else ""
        return f"#{self.pk} {self.action}{target}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError()
        if not self.hash or self.hash != compute_hash(self) or not self.mac:
            raise ValueError("audit entries are created by hirfa.audit.services.record")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()

    def compute_hash(self) -> str:
        return compute_hash(self)


def _timestamp(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_fields(entry: AuditEntry) -> dict:
    """Every field but `id`, `hash` and `mac`, as hashed. The keys are the column names."""
    return {
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "at": _timestamp(entry.at),
        "data": entry.data,
        "object_id": entry.object_id,
        "object_type": entry.object_type,
        "previous_hash": entry.previous_hash,
        "province_code": entry.province_code,
        "reason": entry.reason,
    }


def canonical_bytes(entry: AuditEntry) -> bytes:
    return json.dumps(
        canonical_fields(entry),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()


class ChainVerification(models.Model):
    """One check of the whole chain: asked for on the auditor's page (run as a background
    job) or run by `hirfa verify_audit`. The newest one is the chain's state shown."""

    requested_at = models.DateTimeField(_("asked for at"), db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # None while the check runs.
    intact = models.BooleanField(_("chain intact"), null=True)
    checked = models.PositiveBigIntegerField(_("entries checked"), default=0)
    first_broken_id = models.BigIntegerField(_("first broken entry"), null=True, blank=True)
    problem = models.TextField(_("problem"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("chain verification")
        verbose_name_plural = _("chain verifications")

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.intact}"
