"""The chamber agent's desk: assisted filing, documents, sending for review."""

import pytest

from hirfa.register import services
from hirfa.register.models import Document, Dossier, Person
from tests.factories import (
    agent_of,
    craft_data,
    officer_of,
    pdf_upload,
    person_data,
    png_upload,
)
from tests.register.helpers import (
    AGADIR_CITY,
    TIZNIT_CITY,
    filed,
    filing_post,
    submitted,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def agent(agent, client):
    """The chamber's agent, signed in."""
    client.force_login(agent)
    return agent


def test_the_desk_lists_the_agents_pending_files_and_offers_to_register_an_artisan(client, agent):
    dossier = filed(agent)
    response = client.get("/desk/")
    assert response.status_code == 200
    assert f"/desk/dossiers/{dossier.pk}/".encode() in response.content
    assert b"/desk/new/" in response.content


def test_the_menu_shows_assisted_filing_to_agents_and_review_to_officers(client, agent):
    assert b'href="/desk/"' in client.get("/").content
    assert b'href="/review/"' not in client.get("/").content
    client.force_login(officer_of("09.581"))
    assert b'href="/review/"' in client.get("/").content


def test_an_officer_cannot_open_the_desk(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/desk/new/").status_code == 403


def test_the_filing_page_shows_the_law_09_08_notice_and_the_pickers(client, agent):
    response = client.get("/desk/new/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CNDP" in page and "CNSS" in page
    assert 'hx-get="/desk/communes"' in page
    assert "<optgroup" in page  # activities grouped by branch, communes by province
    assert 'value="cooperative"' not in page  # natural persons only


def test_an_agent_files_an_assisted_dossier_that_lands_in_the_tiznit_officers_queue(client, agent):
    response = client.post("/desk/new/", filing_post())
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/dossiers/{dossier.pk}/"
    assert dossier.assisted and dossier.consent_at is not None
    assert dossier.filed_by == agent and dossier.province.code == "09.581"
    client.post(f"/desk/dossiers/{dossier.pk}/submit/")  # refused: documents missing
    for code in ("cnie", "experience"):
        client.post(
            f"/desk/dossiers/{dossier.pk}/documents/",
            {"kind": code, "file": pdf_upload(f"{code}.pdf")},
        )
    client.post(
        f"/desk/dossiers/{dossier.pk}/documents/", {"kind": "photo", "file": png_upload("p.png")}
    )
    client.post(f"/desk/dossiers/{dossier.pk}/submit/")
    officer = officer_of("09.581")
    client.force_login(officer)
    queue = client.get("/review/")
    assert f"/review/{dossier.pk}/".encode() in queue.content
    assert "فاضمة".encode() in queue.content


def test_without_consent_nothing_is_written_and_the_message_is_shown(client, agent):
    response = client.post("/desk/new/", filing_post(consent=False))
    assert response.status_code == 400
    assert not Person.objects.exists() and not Dossier.objects.exists()
    assert "Read the notice to the artisan and tick the box." in response.content.decode()


def test_the_agent_of_region_09_cannot_file_for_a_workplace_in_region_06(client, agent):
    casablanca = "06.141.01.0"
    response = client.post("/desk/new/", filing_post(craft={"workplace_commune": casablanca}))
    assert response.status_code == 400
    assert not Dossier.objects.exists() and not Person.objects.exists()
    assert "Choose a commune of your territory." in response.content.decode()


def test_an_invalid_filing_shows_each_error_beside_its_field_and_keeps_the_values(client, agent):
    response = client.post(
        "/desk/new/", filing_post(person={"cnie": "12", "birth_date": "not a date"})
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_birth_date_errors"' in page
    assert 'value="Fadma"' in page
    assert f'value="{TIZNIT_CITY}" selected' in page
    assert not Dossier.objects.exists()


def test_a_cnie_already_in_the_register_is_refused_beside_the_cnie_field(client, agent):
    filed(agent)
    response = client.post("/desk/new/", filing_post(person={"phone": "0698765432"}))
    assert response.status_code == 400
    assert 'id="id_cnie_errors"' in response.content.decode()
    assert Dossier.objects.count() == 1


def test_the_commune_picker_lists_the_communes_of_a_province_of_the_agents_scope(client, agent):
    response = client.get("/desk/communes", {"province": "09.581"})
    assert response.status_code == 200
    assert f'value="{TIZNIT_CITY}"'.encode() in response.content
    assert AGADIR_CITY.encode() not in response.content


def test_the_commune_picker_lists_nothing_outside_the_agents_scope_or_for_nonsense(client, agent):
    for province in ("06.141", "nonsense", "x" * 500):
        response = client.get("/desk/communes", {"province": province})
        assert response.status_code == 200
        assert b'<option value="0' not in response.content


def test_a_document_that_is_not_a_pdf_or_an_image_is_refused_beside_its_field(client, agent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = filed(agent)
    fake = SimpleUploadedFile("cnie.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        f"/desk/dossiers/{dossier.pk}/documents/", {"kind": "cnie", "file": fake}
    )
    assert response.status_code == 400
    assert 'id="file-cnie-errors"' in response.content.decode()
    assert Document.objects.filter(dossier=dossier).count() == 3  # only those filed before


def test_the_dossier_page_shows_what_is_missing_then_sends_the_file_for_review(client, agent):
    dossier = services.file_assisted(
        agent=agent, person_data=person_data(), craft_data=craft_data(), consent=True
    )
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert 'class="missing"' in page
    client.post(f"/desk/dossiers/{dossier.pk}/submit/", follow=True)
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.DRAFT
    for code in ("cnie", "experience"):
        client.post(f"/desk/dossiers/{dossier.pk}/documents/", {"kind": code, "file": pdf_upload()})
    client.post(f"/desk/dossiers/{dossier.pk}/documents/", {"kind": "photo", "file": png_upload()})
    response = client.post(f"/desk/dossiers/{dossier.pk}/submit/", follow=True)
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED
    assert response.status_code == 200


def test_an_agent_of_another_region_does_not_see_the_dossier(client, agent):
    dossier = filed(agent)
    client.force_login(agent_of("06"))
    assert client.get(f"/desk/dossiers/{dossier.pk}/").status_code == 404


def test_a_document_of_a_kind_not_asked_is_refused_with_a_message(client, agent):
    dossier = filed(agent)
    response = client.post(
        f"/desk/dossiers/{dossier.pk}/documents/", {"kind": "passport", "file": pdf_upload()}
    )
    assert response.status_code == 400
    assert "This kind of document is not asked for this file." in response.content.decode()
    assert not dossier.documents.filter(kind="passport").exists()


def correction_post(dossier, **changes) -> dict:
    """The correction page as the browser sends it, with `changes` over what it shows."""
    return filing_post(consent=False) | {"province": ["", ""]} | changes


def test_the_filing_agent_corrects_the_artisans_name_and_craft_after_changes_were_asked(
    client, agent
):
    dossier = submitted(agent)
    services.request_changes(officer=officer_of("09.581"), dossier=dossier, message="Nom")
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert f'href="/desk/dossiers/{dossier.pk}/edit/"' in page
    form = client.get(f"/desk/dossiers/{dossier.pk}/edit/").content.decode()
    assert 'value="JK123456"' in form and "CNDP" not in form  # consent was given at filing
    response = client.post(
        f"/desk/dossiers/{dossier.pk}/edit/",
        correction_post(dossier, first_name_latin="Fadma", workplace_address="Souk 3"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/desk/dossiers/{dossier.pk}/"
    dossier.refresh_from_db()
    assert dossier.person.first_name_latin == "Fadma"
    assert dossier.workplace_address == "Souk 3"
    assert dossier.state == Dossier.State.CHANGES_REQUESTED  # the agent sends it again


def test_a_correction_with_a_bad_value_changes_nothing_and_shows_the_error(client, agent):
    dossier = filed(agent)
    response = client.post(
        f"/desk/dossiers/{dossier.pk}/edit/", correction_post(dossier, first_name_latin="فاطمة")
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    dossier.person.refresh_from_db()
    assert dossier.person.first_name_latin != "فاطمة"


def test_a_file_waiting_for_review_cannot_be_corrected_at_the_desk(client, agent):
    dossier = submitted(agent)
    response = client.get(f"/desk/dossiers/{dossier.pk}/edit/", follow=True)
    assert "This file can no longer be changed." in response.content.decode()
    assert f'href="/desk/dossiers/{dossier.pk}/edit/"' not in response.content.decode()


def test_only_the_agent_who_filed_the_file_may_correct_it(client, agent):
    dossier = filed(agent)
    client.force_login(agent_of("09", username="agent.other"))
    client.post(
        f"/desk/dossiers/{dossier.pk}/edit/", correction_post(dossier, first_name_latin="Itto")
    )
    dossier.person.refresh_from_db()
    assert dossier.person.first_name_latin != "Itto"


def test_the_agent_removes_a_document_attached_by_mistake_before_sending(client, agent):
    dossier = filed(agent)
    document = dossier.documents.first()
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    remove = f"/desk/dossiers/{dossier.pk}/documents/{document.pk}/remove/"
    assert remove in page
    response = client.post(remove)
    assert response.status_code == 302
    assert response["Location"] == f"/desk/dossiers/{dossier.pk}/"
    assert not Document.objects.filter(pk=document.pk).exists()


def test_once_sent_the_desk_offers_no_removal_and_refuses_one(client, agent):
    dossier = submitted(agent)
    document = dossier.documents.first()
    remove = f"/desk/dossiers/{dossier.pk}/documents/{document.pk}/remove/"
    assert remove not in client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    response = client.post(remove, follow=True)
    assert "can no longer be removed or replaced" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


def test_an_agent_of_another_province_cannot_remove_a_document(client, agent):
    dossier = filed(agent)
    document = dossier.documents.first()
    client.force_login(agent_of("01", username="tanger-agent"))
    response = client.post(f"/desk/dossiers/{dossier.pk}/documents/{document.pk}/remove/")
    assert response.status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()
