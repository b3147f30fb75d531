"""Showing a stored document: inline, never cached or sniffed, and a missing file is a 404."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

from hirfa.core.files import inline_file_response


def stored(name, *, original_name="cnie.pdf"):
    field = SimpleNamespace(open=lambda mode: default_storage.open(name, mode))
    return SimpleNamespace(
        pk=1, file=field, content_type="application/pdf", original_name=original_name
    )


def test_a_stored_file_is_shown_inline_and_never_cached_or_sniffed():
    name = default_storage.save("documents/cnie.pdf", ContentFile(b"%PDF-1.4 x"))
    response = inline_file_response(stored(name))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_control_characters_of_the_uploaded_name_stay_out_of_the_header():
    name = default_storage.save("documents/x.pdf", ContentFile(b"%PDF-1.4 x"))
    response = inline_file_response(stored(name, original_name="a\r\nSet-Cookie: x.pdf"))
    assert "\n" not in response["Content-Disposition"]


def test_a_file_missing_from_storage_is_not_found():
    with pytest.raises(Http404):
        inline_file_response(stored("documents/gone.pdf"))
