"""Checking uploaded documents by what they contain, not by what they are called."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from hirfa.core.errors import DomainError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
# Decoding a 100-megapixel "photo" would take seconds and gigabytes.
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    content_type: str
    size: int
    sha256: str

    def stored_fields(self, uploaded, uploaded_by) -> dict:
        """The fields of a StoredDocument holding this file; `uploaded` is what was sent."""
        return {
            "file": self.content,
            "original_name": str(getattr(uploaded, "name", "") or "document")[:200],
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "uploaded_by": uploaded_by,
        }


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes (magic numbers), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _reencoded(data: bytes, content_type: str) -> bytes:
    """The image decoded and written again: drops EXIF (GPS, device) and any hidden payload."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise DomainError(_("This image is too large. Send a smaller photo."))
            image.load()
            output = io.BytesIO()
            if content_type == JPEG:
                image.convert("RGB").save(output, format="JPEG", quality=88, optimize=True)
            else:
                image.save(output, format="PNG", optimize=True)
            return output.getvalue()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise DomainError(_("This image is damaged and cannot be opened.")) from None


def check_upload(uploaded, *, allowed=(PDF, JPEG, PNG)) -> CheckedFile:
    """Validate an uploaded file; raise DomainError with a clear message otherwise."""
    limit = settings.DOCUMENT_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise DomainError(
            _("This file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="too_large",
        )
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _("This file is too large; the limit is %(limit)s MB.")
            % {"limit": round(limit / 1_048_576, 1)},
            code="too_large",
        )
    if not data:
        raise DomainError(_("This file is empty."))
    content_type = sniff(data[:16])
    if content_type not in allowed:
        raise DomainError(
            _("This file is not a PDF, JPEG or PNG document, whatever its name says."),
            code="unsupported_file",
        )
    if content_type == PDF and b"%%EOF" not in data[-2048:]:
        raise DomainError(_("This PDF file is incomplete or damaged."), code="unsupported_file")
    if content_type in (JPEG, PNG):
        data = _reencoded(data, content_type)
    digest = hashlib.sha256(data).hexdigest()
    return CheckedFile(
        content=ContentFile(data, name=f"{digest[:32]}.{EXTENSIONS[content_type]}"),
        content_type=content_type,
        size=len(data),
        sha256=digest,
    )
