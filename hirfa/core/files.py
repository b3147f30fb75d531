"""Showing a stored document to someone allowed to see it (the view checks who)."""

import logging
import re

from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

# A file name arrives from the uploader: no control characters in a response header.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def inline_file_response(document) -> FileResponse:
    """The document's file, shown in the browser, never cached, never sniffed into HTML.

    `document` has `file`, `content_type` and `original_name` (a StoredDocument)."""
    try:
        handle = document.file.open("rb")
    except OSError:  # missing from storage, unreadable
        logger.error("%s %s is missing from storage", type(document).__name__, document.pk)
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=False,
        filename=CONTROL_CHARACTERS.sub("", document.original_name) or "document",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
