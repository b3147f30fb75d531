"""The QR code any phone camera understands: the verification page's address with the
signed text in its fragment (docs/card-qr.md §1, docs/decisions/0050), on the cards signed
before Claim 169 (`RNA1:…`, reprinted as they were). A Claim 169 card prints its text alone
(docs/decisions/0062); a camera address holding one still verifies."""

from io import StringIO

import pypdfium2
import pytest
from django.core.management import call_command

from hirfa.cards import printing, qr
from hirfa.cards.reading import card_texts, texts_in_pdf
from hirfa.cards.verification import verify_text
from hirfa.core.qrcodes import qr_matrix
from tests.factories import issued_card, signed_as_before

pytestmark = pytest.mark.django_db

BASE45_TEXT = "RNA1:AB C%D"


def test_the_camera_address_puts_the_text_in_the_fragment_with_space_and_percent_escaped():
    address = qr.camera_url("https://rna.example.ma/", BASE45_TEXT)
    assert address == "https://rna.example.ma/verify/#RNA1:AB%20C%25D"


def test_the_fragment_stays_in_the_qr_alphanumeric_set():
    address = qr.camera_url("https://rna.example.ma", qr.BASE45_ALPHABET)
    fragment = address.split("#", 1)[1]
    assert set(fragment) <= set(qr.BASE45_ALPHABET) - {" "}


@pytest.mark.parametrize(
    "scanned",
    [
        BASE45_TEXT,
        f"  {BASE45_TEXT}\n",
        "https://rna.example.ma/verify/#RNA1:AB%20C%25D",
        "HTTP://127.0.0.1:8000/verify/#RNA1:AB%20C%25D",
    ],
)
def test_the_signed_text_is_read_from_a_bare_code_or_a_camera_address(scanned):
    assert qr.payload_text(scanned) == BASE45_TEXT
    assert qr.is_signed_text(scanned)


@pytest.mark.parametrize(
    "scanned", ["https://x.ma/verify/#RNA1:%ZZ", "https://x.ma/verify/#RNA1:%C3%A9", "https://x"]
)
def test_a_damaged_camera_address_is_not_genuine(scanned):
    with pytest.raises(qr.NotGenuine):
        qr.decode_card(scanned, lambda kid: None)
    assert not qr.is_signed_text(scanned)


def test_a_camera_address_and_a_bare_text_both_verify_valid(run_jobs):
    card = signed_as_before(issued_card(run_jobs))
    assert verify_text(card.qr_text).verdict == qr.Verdict.VALID
    assert verify_text(printing.camera_text(card.qr_text)).verdict == qr.Verdict.VALID


def test_a_claim_169_card_in_a_camera_address_verifies_valid(run_jobs):
    card = issued_card(run_jobs)
    address = qr.camera_url("https://rna.example.ma", card.qr_text)
    assert verify_text(address).verdict == qr.Verdict.VALID


def test_a_card_printed_before_is_reprinted_with_the_public_url(run_jobs, settings):
    settings.PUBLIC_URL = "https://rna.example.ma"
    card = signed_as_before(issued_card(run_jobs))
    data = printing.card_pdf(card)
    (scanned,) = texts_in_pdf(data)
    assert scanned.startswith("https://rna.example.ma/verify/#RNA1:")
    back = pypdfium2.PdfDocument(data)[1].get_textpage().get_text_range()
    assert "https://rna.example.ma/verify/" in back


def test_verify_card_accepts_the_camera_address(run_jobs):
    card = signed_as_before(issued_card(run_jobs))
    address = printing.camera_text(card.qr_text)
    assert card_texts(address) == [address]
    out = StringIO()
    call_command("verify_card", address, stdout=out)
    assert out.getvalue().startswith("VALID")


def test_the_camera_address_costs_two_qr_versions_at_most(run_jobs, settings):
    # docs/card-qr.md §1: a name in Tifinagh too, a 28-character address: version 17
    # (85 modules) instead of 15, modules of 0.45 mm on the card's 38 mm.
    settings.PUBLIC_URL = "https://rna.artisanat.gov.ma"
    card = signed_as_before(issued_card(run_jobs, first_name_zgh="ⴼⴰⴹⵎⴰ", last_name_zgh="ⴰⵢⵜ ⵍⵃⵙⵏ"))
    bare, _ = qr_matrix(card.qr_text)
    camera, _ = qr_matrix(printing.camera_text(card.qr_text))
    assert camera - bare <= 2 * 4
    assert 38 / camera >= 0.44
