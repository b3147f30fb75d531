"""The public card verification page, its service worker, and reading a QR code from a PDF.

The page verifies in the browser (static/hirfa/verify/rna.js): the server gives it the
texts of every verdict in the visitor's language, the names behind the codes a card
carries, and nothing about any card. See docs/decisions/0013 and 0014.
"""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hirfa.accounts.addresses import client_address
from hirfa.cards import reading
from hirfa.cards.qr import is_signed_text, payload_text
from hirfa.core.languages import is_supported, supported_codes
from hirfa.core.pagecache import same_for_every_visitor
from hirfa.core.service_workers import assets
from hirfa.crafts.selectors import activity_names
from hirfa.formats.months import MONTHS
from hirfa.register.models import Category
from hirfa.register.views.public import VerifyForm
from hirfa.territory.selectors import province_names
from hirfa.verification import services

# The service worker asks for the page in each language with this header, so that a
# visitor who goes offline still gets the page in the language they chose.
LANGUAGE_HEADER = "X-Verify-Language"
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
# A card's PDF has two pages. Rendering is the costly part of reading, and anyone may post:
# longer documents (a printing sheet, anything else) are refused before any page is drawn.
MAX_PDF_PAGES = 4

# What the service worker keeps for offline use; fonts are named by the stylesheet.
ASSETS = (
    "hirfa/css/hirfa.css",
    "hirfa/js/htmx.min.js",
    "hirfa/js/forms.js",
    "hirfa/js/menu.js",
    "hirfa/fonts/NotoSansArabic-Regular.ttf",
    "hirfa/fonts/NotoSansArabic-Bold.ttf",
    "hirfa/fonts/NotoSansTifinagh-Regular.ttf",
    "hirfa/verify/rna.js",
    "hirfa/verify/claim169.js",
    "hirfa/verify/page.js",
    "hirfa/verify/vendor/jsQR.js",
)


def _names() -> dict:
    """Code → name in the active language, for the codes a card carries (no query: the
    names are read once a minute per process, ADR 0058)."""
    return {
        "categories": {str(value): str(label) for value, label in Category.choices},
        "activities": activity_names(),
        "provinces": province_names(),
    }


def _texts() -> dict:
    """Every text the verifier shows, so that it speaks the visitor's language offline."""
    return {
        # The months of the dates, for a browser that cannot write them in this language.
        "months": [_(month) for month in MONTHS],
        "verdicts": {
            "valid": _("VALID"),
            "expired": _("EXPIRED"),
            "revoked": _("REVOKED"),
            "suspended": _("SUSPENDED"),
            "not_genuine": _("NOT GENUINE"),
        },
        "reasons": {
            "valid": _("The card is genuine and valid."),
            "expired": _("The card is genuine but its validity has ended."),
            "revoked": _("The card was revoked: it has been replaced or withdrawn."),
            "suspended": _("The registration of the holder is suspended."),
        },
        "attestation": {
            "valid": _(
                "The attestation is genuine and valid. Check online whether the registration "
                "is still active."
            ),
            "expired": _("The attestation is genuine but its validity has ended."),
        },
        "documents": {"attestation": _("Attestation of practice")},
        "problems": {
            "prefix": _("This is not the QR code of a professional card."),
            "base45": _("The QR code text is damaged or incomplete."),
            "zlib": _("The QR code text is damaged or incomplete."),
            "too_large": _("The QR code holds too much data to be a card."),
            "unknown_kid": _("The card was signed with a key this register does not know."),
            "signature": _("The signature does not match: the card was forged or altered."),
            "other": _("The QR code is not a card issued by the register."),
        },
        "labels": {
            "nameAr": _("Name in Arabic"),
            "nameLatin": _("Name in Latin letters"),
            "nameZgh": _("Name in Tifinagh"),
            "number": _("Registration number"),
            "version": _("Card version"),
            "category": _("Category"),
            "activity": _("Principal activity"),
            "province": _("Province"),
            "expiresAt": _("Valid until"),
            "issuedAt": _("Issued on"),
            "document": _("Document"),
            "registeredOn": _("Registered since"),
            "birthDate": _("Date of birth"),
        },
        "live": {
            "checked": _("Confirmed by the register online at %(time)s."),
            "offline": _(
                "Checked on this device only: the register could not be reached to confirm "
                "the card's current status."
            ),
            "checking": _("Asking the register for the card's current status…"),
            "attestation": _(
                "Checked on this device only. An attestation shows the registration as it "
                "was on the day it was issued."
            ),
            "device": _(
                "Checked on this device only: nothing was sent to the register. Ask it for "
                "the current status if you need it."
            ),
        },
        "list": {
            "state": _("Revocation list of %(issued)s, fetched on %(fetched)s."),
            "stale": _(
                "The revocation list is out of date: connect to the internet to refresh it."
            ),
            "missing": _(
                "No revocation list on this device yet: open this page once with internet."
            ),
            "bad": _("The revocation list could not be verified: it was not used."),
        },
        "status": {
            "state": _("Revocations as of %(issued)s (status list fetched on %(fetched)s)."),
            "old": _("The status list is out of date: connect to the internet to refresh it."),
            "stale": _(
                "The status list is too old to be trusted and was not used: connect to the "
                "internet to refresh it."
            ),
            "missing": _("No status list on this device yet: open this page once with internet."),
            "bad": _("The status list could not be verified: it was not used."),
        },
        "keys_missing": _(
            "The register's keys are not on this device yet: open this page once with internet."
        ),
        "empty": _("Paste the text of the QR code first."),
        "camera": {
            "aim": _("Point the camera at the QR code of the card."),
            "failed": _("The camera could not be opened: choose a photo or paste the text."),
        },
        "file": {
            "reading": _("Reading the file…"),
            "none": _("No QR code was found in the image."),
            "unreadable": _("The image could not be read: is it a photo of the card?"),
            "pdf_offline": _(
                "A PDF is read by the server, which cannot be reached now: scan the card "
                "with the camera or paste the text of its QR code."
            ),
        },
    }


def _page(request):
    context = {
        "texts": _texts(),
        "names": _names(),
        "attestation_form": VerifyForm(label_suffix=""),
        "status_url": "/api/v1/cards/{number}/{version}/status",
        "attestation_url": "/verify/attestation/{number}/{code}/",
    }
    response = render(request, "verification/verify.html", context)
    # Network first, then the service worker's copy: never a stale copy from the HTTP cache.
    response["Cache-Control"] = "no-cache"
    response["Content-Language"] = translation.get_language()
    patch_vary_headers(response, [LANGUAGE_HEADER])
    return response


@require_GET
@same_for_every_visitor(vary_on=LANGUAGE_HEADER)
def verify_page(request):
    language = request.headers.get(LANGUAGE_HEADER)
    if not is_supported(language):
        return _page(request)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return _page(request)


@require_GET
def service_worker(request):
    urls, version = assets(ASSETS)
    context = {
        "assets_json": json.dumps(urls),
        "version": version,
        "languages_json": json.dumps(supported_codes()),
        "language_header": LANGUAGE_HEADER,
    }
    response = render(request, "verification/sw.js", context, content_type="text/javascript")
    # A new worker must be seen at once; it is small.
    response["Cache-Control"] = "no-cache"
    return response


def _pages(data: bytes) -> int:
    import pypdfium2  # when a PDF is sent, not at start-up (ADR 0090)

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return 0  # the reader says it is unreadable
    try:
        return len(document)
    finally:
        document.close()


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"texts": [], "error": message}, status=status)


# No login and no change of state: a cross-site post can learn nothing it could not
# learn by posting itself, and the offline copy of the page may hold an old token.
@csrf_exempt
@require_POST
def read_code(request):
    """The QR texts in an uploaded PDF or image, card codes first. The browser still
    verifies them: this only does what a browser cannot do without pdf.js."""
    if not services.reader_use_allowed(client_address(request)):
        return _refused(
            _("Too many files were sent from this connection. Wait a minute and try again."),
            status=429,
        )
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(_("Choose a PDF file or a photo of the card."))
    if upload.size > MAX_UPLOAD_BYTES:
        return _refused(_("The file is too large."), status=413)
    data = upload.read()
    if data[:5] == b"%PDF-" and _pages(data) > MAX_PDF_PAGES:
        return _refused(_("This PDF is not a card's: send the PDF of one card."))
    try:
        read = reading.texts_in_pdf if data[:5] == b"%PDF-" else reading.texts_in_image
        texts = read(data)
    except reading.TooLarge:
        return _refused(_("This file is too large to be read: send a card or a photo of it."))
    except reading.Unreadable:
        return _refused(_("The file could not be read: is it a PDF or a photo?"))
    if not texts:
        return _refused(_("No QR code was found in the file."))
    # A camera address is given back as the signed text it carries: the page shows that.
    texts = [payload_text(text) if is_signed_text(text) else text for text in texts]
    texts.sort(key=lambda text: not is_signed_text(text))
    return JsonResponse({"texts": texts[:10], "error": ""})
