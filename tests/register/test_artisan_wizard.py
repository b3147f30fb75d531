import pytest
from django.utils import translation

from hirfa.accounts.models import User
from hirfa.crafts.models import Activity
from hirfa.register.models import Document, Dossier, Person
from hirfa.territory.models import Commune
from tests.factories import officer_of
from tests.register.helpers import (
    PASSWORD,
    PHONE,
    PHONE_AS_TYPED,
    TIZNIT,
    applicant_person_data,
    craft_post,
    draft_of,
    last_code,
    logged_in_artisan,
    pdf_bytes,
    png_bytes,
    submitted_dossier_of,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_new_artisan_goes_from_sign_up_to_a_submitted_dossier_with_two_documents(client):
    client.post(
        "/accounts/signup/",
        {
            "phone": PHONE_AS_TYPED,
            "first_name": "فاطمة",
            "last_name": "آيت لحسن",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert client.post("/accounts/signup/confirm/", {"code": last_code()})["Location"] == "/me/"
    assert client.get("/me/apply/")["Location"] == "/me/apply/you/"
    step_one = client.get("/me/apply/you/")
    assert step_one.context["form"]["first_name_ar"].value() == "فاطمة"

    assert client.post("/me/apply/you/", applicant_person_data())["Location"] == "/me/apply/craft/"
    assert client.post("/me/apply/craft/", craft_post())["Location"] == "/me/apply/documents/"
    dossier = Dossier.objects.get(person__user__phone=PHONE)
    assert dossier.state == Dossier.State.DRAFT

    assert upload(client, "cnie", "cnie.png", png_bytes()).status_code == 302
    assert upload(client, "experience", "attestation.pdf", pdf_bytes()).status_code == 302
    assert upload(client, "photo", "photo.png", png_bytes()).status_code == 302
    assert client.get("/me/apply/")["Location"] == "/me/apply/check/"

    response = client.post("/me/apply/check/", {"declaration": "on"})
    assert response["Location"] == "/me/"
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED
    assert dossier.documents.count() == 3
    assert not dossier.assisted
    assert client.get("/me/").context["dossier"] == dossier


def test_a_png_named_pdf_is_accepted_as_a_png(client):
    draft_of(logged_in_artisan(client))
    response = upload(client, "cnie", "cnie.pdf", png_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")


def test_a_text_file_named_pdf_is_refused_with_the_reason(client):
    draft_of(logged_in_artisan(client))
    response = upload(client, "cnie", "cnie.pdf", b"just some text, not a document")
    assert response.status_code == 200
    with translation.override("ar"):
        reason = translation.gettext(
            "This file is not a PDF, JPEG or PNG document, whatever its name says."
        )
    assert reason in response.content.decode()
    assert not Document.objects.exists()


def test_the_documents_page_shows_which_documents_are_still_missing(client):
    draft_of(logged_in_artisan(client))
    upload(client, "cnie", "cnie.png", png_bytes())
    page = client.get("/me/apply/documents/")
    assert [r.code for r in page.context["missing"]] == ["experience", "photo"]


def test_latin_letters_in_the_arabic_name_are_shown_beside_the_field_and_nothing_is_written(
    client,
):
    logged_in_artisan(client)
    response = client.post("/me/apply/you/", applicant_person_data(first_name_ar="Fatima"))
    assert response.status_code == 200
    with translation.override("ar"):
        expected = translation.gettext("Write this name in Arabic letters.")
    assert response.context["form"].errors["first_name_ar"] == [expected]
    assert 'id="id_first_name_ar_error"' in response.content.decode()
    assert "apply_person" not in client.session
    assert not Person.objects.exists()


def test_an_error_on_an_existing_draft_changes_nothing(client):
    dossier = draft_of(logged_in_artisan(client))
    response = client.post(
        "/me/apply/you/", applicant_person_data(first_name_ar="Fatima", address="New")
    )
    assert response.context["form"].has_error("first_name_ar")
    dossier.person.refresh_from_db()
    assert dossier.person.address == "Derb Lalla Zahra 12"


def test_an_artisan_who_left_after_step_one_comes_back_to_step_two(client):
    logged_in_artisan(client)
    client.post("/me/apply/you/", applicant_person_data())
    space = client.get("/me/")
    assert space.context["resume_url"] == "/me/apply/craft/"
    assert client.get("/me/apply/")["Location"] == "/me/apply/craft/"


def test_an_artisan_with_a_draft_comes_back_to_the_missing_documents(client):
    draft_of(logged_in_artisan(client))
    assert client.get("/me/apply/")["Location"] == "/me/apply/documents/"
    assert "/me/apply/documents/" in client.get("/me/").content.decode()


def test_step_two_cannot_be_opened_before_step_one(client):
    logged_in_artisan(client)
    assert client.get("/me/apply/craft/")["Location"] == "/me/apply/you/"


def test_a_cnie_already_in_the_register_is_shown_on_step_one(client):
    other = logged_in_artisan(client, "+212677777777")
    draft_of(other)
    client.logout()
    logged_in_artisan(client)
    client.post("/me/apply/you/", applicant_person_data())
    response = client.post("/me/apply/craft/", craft_post())
    assert response.status_code == 200
    assert response.context["step"] == "you"
    assert response.context["form"].has_error("cnie")
    assert Dossier.objects.count() == 1


def test_the_commune_endpoint_lists_the_communes_of_a_province(client):
    logged_in_artisan(client)
    response = client.get("/me/communes", {"province": TIZNIT})
    assert response.status_code == 200
    options = response.content.decode().count("<option")
    assert options == Commune.objects.filter(province__code=TIZNIT).count() + 1


def test_an_unknown_province_gives_an_empty_commune_list_not_an_error(client):
    logged_in_artisan(client)
    response = client.get("/me/communes", {"province": "99.999'<script>"})
    assert response.status_code == 200
    assert response.content.decode().count("<option") == 1


def test_the_commune_picker_shows_the_communes_of_the_chosen_province_without_javascript(client):
    logged_in_artisan(client)
    response = client.post(
        "/me/apply/you/", {"commune_province": TIZNIT, "_refresh": "1", "cnie": "JK1"}
    )
    assert response.status_code == 200
    assert (
        len(response.context["picker"]["communes"])
        == Commune.objects.filter(province__code=TIZNIT).count()
    )
    assert not response.context["form"].errors
    assert not Person.objects.exists()


def test_sending_twice_is_harmless(client):
    user = logged_in_artisan(client)
    dossier = draft_of(user)
    for kind in ("cnie", "experience"):
        upload(client, kind, f"{kind}.pdf", pdf_bytes())
    upload(client, "photo", "photo.png", png_bytes())
    client.post("/me/apply/check/", {"declaration": "on"})
    again = client.post("/me/apply/check/", {"declaration": "on"})
    assert again["Location"] == "/me/"
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED


def test_sending_without_the_documents_says_which_are_missing(client):
    draft_of(logged_in_artisan(client))
    response = client.post("/me/apply/check/", {"declaration": "on"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Dossier.objects.get().state == Dossier.State.DRAFT


def test_sending_without_ticking_the_declaration_is_refused_beside_the_box(client):
    user = logged_in_artisan(client)
    dossier = draft_of(user)
    response = client.post("/me/apply/check/", {})
    assert response.context["form"].has_error("declaration")
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.DRAFT


def test_withdrawing_asks_for_confirmation_then_withdraws(client):
    dossier = submitted_dossier_of(logged_in_artisan(client))
    confirmation = client.get("/me/withdraw/")
    assert confirmation.status_code == 200
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED
    assert client.post("/me/withdraw/")["Location"] == "/me/"
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.WITHDRAWN


def test_an_artisan_who_withdrew_may_apply_again(client):
    user = logged_in_artisan(client)
    first = draft_of(user)
    client.post("/me/withdraw/")
    assert client.get("/me/").context["may_start"]
    assert client.get("/me/apply/you/").context["form"]["cnie"].value() == "JK123456"
    client.post("/me/apply/you/", applicant_person_data(address="Hay Idouzdouz 3"))
    client.post("/me/apply/craft/", craft_post())
    second = Dossier.objects.exclude(pk=first.pk).get()
    assert second.state == Dossier.State.DRAFT
    assert second.person_id == first.person_id
    assert Person.objects.get().address == "Hay Idouzdouz 3"


def test_staff_cannot_use_the_artisan_space(client):
    client.force_login(officer_of(TIZNIT))
    assert client.get("/me/").status_code == 403


def test_visitors_are_asked_to_log_in(client):
    response = client.get("/me/apply/you/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_wizard_pages_are_in_arabic_right_to_left(client):
    user = logged_in_artisan(client)
    assert User.objects.get(pk=user.pk).is_active
    pages = [client.get("/me/apply/you/")]
    client.post("/me/apply/you/", applicant_person_data())
    pages.append(client.get("/me/apply/craft/"))
    client.post("/me/apply/craft/", craft_post())
    pages += [client.get("/me/apply/documents/"), client.get("/me/apply/check/")]
    for page in pages:
        assert page.status_code == 200
        assert b'lang="ar" dir="rtl"' in page.content


def test_a_draft_can_be_changed_after_it_was_created(client):
    dossier = draft_of(logged_in_artisan(client))
    other_activity = Activity.objects.filter(is_active=True).order_by("code").last()
    response = client.post("/me/apply/craft/", craft_post(principal_activity=other_activity.code))
    assert response["Location"] == "/me/apply/documents/"
    dossier.refresh_from_db()
    assert dossier.principal_activity == other_activity


def test_every_problem_of_step_one_is_shown_at_once(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    logged_in_artisan(client)
    data = applicant_person_data(cnie="12", first_name_ar="Fatima")
    data.pop("birth_place")
    response = client.post("/me/apply/you/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"cnie", "first_name_ar", "birth_place"} <= set(errors)


def test_every_problem_of_step_two_is_shown_at_once(client):
    logged_in_artisan(client)
    client.post("/me/apply/you/", applicant_person_data())
    response = client.post(
        "/me/apply/craft/",
        craft_post(principal_activity="XX.99", workplace_address="", workplace_commune="00"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"principal_activity", "workplace_address", "workplace_commune"} <= set(errors)
