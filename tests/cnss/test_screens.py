"""The CNSS liaison's screens and API: batches, rejected lines, reconciliation, upload."""

import pytest
from django.urls import reverse

from hirfa.cnss import exchange_format as fmt
from hirfa.cnss.models import Batch
from tests.factories import national, officer_of

pytestmark = pytest.mark.django_db

BAD_LINES = [
    b"not json",
    b'{"type": "rights", "number": "1234567890", "status": "x", "on": "2026-01-01"}',
]


@pytest.fixture
def liaison(client):
    user = national("cnss")
    client.force_login(user)
    client.cookies["hirfa_language"] = "en"
    return user


def test_only_the_cnss_liaison_reaches_the_exchange(client):
    client.force_login(officer_of("09.581"))
    assert client.get(reverse("cnss:batches")).status_code == 403
    assert client.get(reverse("cnss:reconciliation")).status_code == 403
    assert client.post(reverse("cnss:export")).status_code == 403


def test_the_liaison_finds_the_exchange_in_the_menu(client, liaison):
    page = client.get(reverse("site:home")).content.decode()
    assert reverse("cnss:batches") in page


def test_an_uploaded_file_is_imported_and_its_rejected_lines_shown(client, liaison, raw_cnss_batch):
    path = raw_cnss_batch("rights", BAD_LINES)
    with open(path, "rb") as upload:
        response = client.post(reverse("cnss:import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cnss:batch", args=["CNSS-00000001"])
    assert "0 lines applied, 2 rejected" in page
    assert "bad_json" in page and "“status”" in page
    batch = Batch.objects.get()
    assert batch.actor == liaison


def test_a_refused_upload_says_why_and_is_listed(client, liaison, cnss_batch):
    path = cnss_batch("rights", [])
    path.write_bytes(path.read_bytes().replace(b'"rights"', b'"payments"', 1))
    with open(path, "rb") as upload:
        response = client.post(reverse("cnss:import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "nothing applied" in page
    assert "Files refused whole" in page and "CNSS-00000001" in page
    assert not Batch.objects.exists()


def test_the_batches_list_filters_by_direction(client, liaison, cnss_batch):
    from hirfa.cnss import services

    services.import_file(cnss_batch("payments", []))
    inbound = client.get(reverse("cnss:batches"), {"direction": "cnss-to-rna"})
    outbound = client.get(reverse("cnss:batches"), {"direction": "rna-to-cnss"})
    assert "CNSS-00000001" in inbound.content.decode()
    assert "CNSS-00000001" not in outbound.content.decode()


def test_a_batch_file_can_be_downloaded(client, liaison, cnss_batch):
    from hirfa.cnss import services

    path = cnss_batch("payments", [])
    services.import_file(path)
    response = client.get(reverse("cnss:batch_file", args=["CNSS-00000001"]))
    assert b"".join(response.streaming_content) == path.read_bytes()


def test_an_unknown_batch_is_not_found(client, liaison):
    assert client.get(reverse("cnss:batch", args=["CNSS-00000099"])).status_code == 404


def test_the_reconciliation_page_speaks_the_liaisons_language(client, liaison):
    client.cookies["hirfa_language"] = "fr"
    page = client.get(reverse("cnss:reconciliation")).content.decode()
    assert "Rapprochement avec la CNSS" in page
    assert "Rien n’a encore été envoyé à la CNSS." in page


# --- API -----------------------------------------------------------------------------------


def test_the_api_lists_batches_and_rejected_lines(client, liaison, raw_cnss_batch):
    from hirfa.cnss import services

    services.import_file(raw_cnss_batch("rights", BAD_LINES))
    batches = client.get("/api/v1/cnss/batches").json()
    assert [b["batch_id"] for b in batches["items"]] == ["CNSS-00000001"]
    assert batches["items"][0]["rejected_count"] == 2
    rejections = client.get("/api/v1/cnss/batches/CNSS-00000001/rejections").json()
    assert [(r["line"], r["code"]) for r in rejections["items"]] == [
        (2, "bad_json"),
        (3, "bad_field"),
    ]


def test_the_api_refuses_a_damaged_file_with_its_reason(client, liaison, cnss_batch):
    path = cnss_batch("rights", [])
    path.write_bytes(path.read_bytes()[:-10])
    with open(path, "rb") as upload:
        response = client.post("/api/v1/cnss/import", {"file": upload})
    assert response.status_code == 422
    assert response.json()["code"] == "truncated"


def test_the_api_imports_once(client, liaison, cnss_batch):
    path = cnss_batch("payments", [])
    for expected in ("applied", "already_imported"):
        with open(path, "rb") as upload:
            body = client.post("/api/v1/cnss/import", {"file": upload}).json()
        assert body["status"] == expected and body["batch"]["batch_id"] == "CNSS-00000001"


def test_the_api_gives_our_public_key(client, liaison):
    from hirfa.cnss.keys import signing_key

    body = client.get("/api/v1/cnss/public-key").json()
    assert fmt.public_key_from_text(body["public_key"]) is not None
    assert body["key_id"] == fmt.key_id(signing_key().public_key())


def test_the_api_is_closed_to_other_roles(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/api/v1/cnss/batches").status_code == 403
    assert client.get("/api/v1/cnss/reconciliation").status_code == 403
