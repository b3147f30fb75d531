"""A document attached by mistake can be removed or replaced until the file is sent; after
that, a clear refusal and nothing changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hirfa.audit.models import AuditEntry
from hirfa.core.errors import Conflict
from hirfa.register import services
from hirfa.register.models import Document
from tests.factories import artisan_account
from tests.register.helpers import (
    draft_of,
    logged_in_artisan,
    pdf_bytes,
    png_bytes,
    submitted_dossier_of,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_document_of_a_draft_is_removed_with_its_file(client, django_capture_on_commit_callbacks):
    draft_of(logged_in_artisan(client))
    upload(client, "cnie", "wrong.png", png_bytes())
    document = Document.objects.get()
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/me/apply/documents/{document.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"] == "/me/apply/documents/"
    assert not Document.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="document.removed").count() == 1


def test_the_documents_page_offers_to_remove_and_replace_an_attached_file(client):
    draft_of(logged_in_artisan(client))
    upload(client, "cnie", "wrong.png", png_bytes())
    document = Document.objects.get()
    page = client.get("/me/apply/documents/").content.decode()
    assert f'action="/me/apply/documents/{document.pk}/remove/"' in page
    assert f'name="replace" value="{document.pk}"' in page
    assert "Replace it with another file" in page


def test_sending_a_file_in_place_of_another_replaces_it(client):
    draft_of(logged_in_artisan(client))
    upload(client, "cnie", "wrong.png", png_bytes())
    old = Document.objects.get()
    response = client.post(
        "/me/apply/documents/",
        {
            "kind": "cnie",
            "replace": str(old.pk),
            "file": SimpleUploadedFile("right.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    assert list(Document.objects.values_list("original_name", flat=True)) == ["right.pdf"]


def test_a_bad_replacement_keeps_the_old_document(client):
    draft_of(logged_in_artisan(client))
    upload(client, "cnie", "wrong.png", png_bytes())
    old = Document.objects.get()
    response = client.post(
        "/me/apply/documents/",
        {"kind": "cnie", "replace": str(old.pk), "file": SimpleUploadedFile("x.pdf", b"nope")},
    )
    assert response.status_code == 200
    assert list(Document.objects.all()) == [old]


def test_after_sending_removing_is_refused_with_a_clear_message(client):
    user = logged_in_artisan(client)
    dossier = submitted_dossier_of(user)
    document = dossier.documents.first()
    response = client.post(f"/me/apply/documents/{document.pk}/remove/", follow=True)
    assert "This file was sent: its documents can no longer be removed" in (
        response.content.decode()
    )
    assert Document.objects.filter(pk=document.pk).exists()


def test_after_sending_the_service_refuses_to_replace(client):
    user = logged_in_artisan(client)
    dossier = submitted_dossier_of(user)
    count = dossier.documents.count()
    with pytest.raises(Conflict):
        services.remove_document(
            actor=user, dossier=dossier, document_id=dossier.documents.first().pk
        )
    assert dossier.documents.count() == count


def test_someone_elses_document_cannot_be_removed(client):
    other = artisan_account("+212677777777")
    draft_of(other, cnie="JK999999")
    foreign = upload_for(other)
    draft_of(logged_in_artisan(client))
    response = client.post(f"/me/apply/documents/{foreign.pk}/remove/", follow=True)
    assert "This document is not in this file." in response.content.decode()
    assert Document.objects.filter(pk=foreign.pk).exists()


def upload_for(user):
    dossier = user.person.dossiers.get()
    return services.attach_document(
        actor=user, dossier=dossier, kind="cnie", uploaded=SimpleUploadedFile("c.pdf", pdf_bytes())
    )
