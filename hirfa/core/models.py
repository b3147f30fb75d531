from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Named(models.Model):
    """Reference data named in Arabic and French, and in Tifinagh where known."""

    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    name_zgh = models.CharField(_("name in Tifinagh"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (`name_in_language`)."""
        return name_in_language(self.name_ar, self.name_fr, self.name_zgh)


def name_in_language(name_ar: str, name_fr: str, name_zgh: str) -> str:
    """A reference entry's name in the active language, falling back to Arabic then French.

    English readers get the French name: the official names exist only in Arabic, French
    and Tamazight.
    """
    language = get_language() or "ar"
    if language == "zgh" and name_zgh:
        return name_zgh
    if language in ("fr", "en"):
        return name_fr or name_ar
    return name_ar or name_fr


class IdempotentRequest(models.Model):
    """An API write already answered, replayed when the same Idempotency-Key comes again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key


class JobWorker(models.Model):
    """A background-job worker that is running: where, and when it last said so.

    A job RUNNING under a worker that is no longer here (no row, a heartbeat older than
    JOB_WORKER_LEASE_SECONDS, or a process gone from this host) is put back to be run
    again (`hirfa.core.workers`).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
