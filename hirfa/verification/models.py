from django.db import models
from django.utils.translation import gettext_lazy as _


class ReaderUse(models.Model):
    """How many files one address sent to the public QR reader in one minute.

    Reading a PDF or a photo costs the server far more than sending it costs anyone: kept
    in the database so that the limit holds across server processes."""

    address = models.GenericIPAddressField(_("address"))
    minute = models.DateTimeField(_("minute"))
    count = models.PositiveIntegerField(_("files"), default=0)

    class Meta:
        verbose_name = _("use of the QR reader")
        verbose_name_plural = _("uses of the QR reader")
        constraints = [
            models.UniqueConstraint(fields=["address", "minute"], name="one_reader_use_a_minute")
        ]
        indexes = [models.Index(fields=["minute"], name="reader_use_minute")]

    def __str__(self) -> str:
        return f"{self.address} {self.minute:%Y-%m-%d %H:%M}: {self.count}"
