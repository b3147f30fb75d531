"""Screens and public files of the cards.

Public, no login: the JWKS, the signed revocation list and status list under /.well-known/.
Chamber agents and provincial officers: the print queue of their territory, a card's
page (print, reprint, hand over), a registration's cards (reissue). Artisans: their card.
Reads go through `hirfa.cards.selectors` (territorial scope), writes through services.
"""

import hashlib
import json
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.accounts.selectors import provinces_for
from hirfa.cards import keys, policy, printing, revocations, selectors, services, statuslist
from hirfa.cards.forms import HandOverForm, QueueFilterForm, ReissueForm, ReprintForm
from hirfa.cards.models import Card
from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error
from hirfa.core.middleware import served_directly
from hirfa.register import selectors as register_selectors
from hirfa.register.numbers import format_number

PAGE_SIZE = 50
SHEET_LIMIT = 400  # cards per downloaded sheet: a chamber prints by batches
JWKS_SECONDS = 3600

# --- Public files ------------------------------------------------------------------------

_jwks: dict = {}


def published_keys():
    """Keys to publish: those not past their signing period, and retired ones while a
    card they signed is unexpired (verifiers must still check it)."""
    now = timezone.now()
    still_used = set(
        Card.objects.filter(expires_at__gt=now).values_list("kid", flat=True).distinct()
    )
    return [k for k in keys.all_keys() if now < k.valid_until or keys.b64url(k.kid) in still_used]


def _public(response, *, max_age: int, etag: str):
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    response["ETag"] = etag
    return response


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


@require_GET
def jwks(request):
    # Rebuilt at most once a minute per process, or when the key files change.
    slot = (keys._fingerprint(), int(time.time()) // 60)
    body = _jwks.get(slot)
    if body is None:
        body = json.dumps({"keys": [keys.jwk(k) for k in published_keys()]}).encode()
        _jwks.clear()
        _jwks[slot] = body
    etag = _etag(body)
    if request.headers.get("If-None-Match") == etag:
        return _public(HttpResponseNotModified(), max_age=JWKS_SECONDS, etag=etag)
    response = HttpResponse(body, content_type="application/jwk-set+json")
    return _public(response, max_age=JWKS_SECONDS, etag=etag)


def _signed_list(request, current, content_type: str):
    """A signed list for verifiers, with its ETag. Short-lived: a revocation should reach
    online verifiers within minutes."""
    try:
        signed = current()
    except keys.NoSigningKey:
        return HttpResponse(status=503)
    etag = _etag(signed.data)
    if request.headers.get("If-None-Match") == etag:
        return _public(HttpResponseNotModified(), max_age=300, etag=etag)
    response = HttpResponse(signed.data, content_type=content_type)
    return _public(response, max_age=300, etag=etag)


@require_GET
def revocation_list(request):
    return _signed_list(request, revocations.current, "application/cose")


@require_GET
def status_list(request):
    """The IETF Token Status List of Claim 169 cards (docs/card-qr.md §12)."""
    return _signed_list(request, revocations.current_status_list, statuslist.TYPE)


def status_response(number: str, version: int) -> JsonResponse:
    """The live status of a card, `GET /api/v1/cards/{number}/{version}/status`."""
    number = str(number)[:10]
    status = selectors.cached_status(number, version) if 0 < version < 2**31 else "unknown"
    body = {"number": number, "version": version, "status": status,
            "checked_at": timezone.now().isoformat()}  # fmt: skip
    response = JsonResponse(body)
    response["Cache-Control"] = f"public, max-age={selectors.STATUS_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@served_directly  # past the session, CSRF and authentication layers (ADR 0082)
@require_GET
def card_status(request, number, version):
    return status_response(number, version)


# --- Staff screens -----------------------------------------------------------------------


def _require_manager(user) -> None:
    if not policy.may_manage_cards(user):
        raise PermissionDenied


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def print_queue(request):
    user = request.user
    _require_manager(user)
    provinces = sorted(provinces_for(user), key=lambda p: p.name)
    form = QueueFilterForm(request.GET or None, provinces=provinces)
    province, state = "", Card.PrintState.TO_PRINT
    if form.is_valid():
        province = form.cleaned_data["province"]
        state = form.cleaned_data["state"] or state
    queue = selectors.print_queue(user, province=province or None, state=state)
    if request.GET.get("format") == "pdf":
        cards = list(queue[:SHEET_LIMIT])
        selectors.holders_shown(cards)
        if not cards:
            messages.error(request, _("No card to print."))
            return redirect("cards:queue")
        return _pdf(printing.sheet_pdf(cards), f"cards-{timezone.localdate():%Y%m%d}.pdf")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.holders_shown(page)
    return render(
        request,
        "cards/queue.html",
        {
            "form": form,
            "page": page,
            "state": state,
            "States": Card.PrintState,
            "sheet_limit": SHEET_LIMIT,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def mark_printed_many(request):
    user = request.user
    _require_manager(user)
    done = 0
    for pk in request.POST.getlist("card")[:SHEET_LIMIT]:
        try:
            services.mark_printed(actor=user, card=selectors.card_for(user, pk))
            done += 1
        except DomainError as error:
            messages.error(request, error.message)
    if done:
        messages.success(request, _("%(count)d cards marked as printed.") % {"count": done})
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "cards:queue"
    return redirect(target)


def _card_page(request, card, *, status=200, **forms_):
    context = {
        "card": card,
        "number": format_number(card.registration.number, separator="\u00a0"),
        "prints": card.prints.select_related("by"),
        "reprint_form": forms_.get("reprint_form") or ReprintForm(),
        "hand_over_form": forms_.get("hand_over_form") or HandOverForm(),
        "Status": Card.Status,
        "PrintState": Card.PrintState,
    }
    return render(request, "cards/card.html", context, status=status)


@login_required
@require_GET
def card(request, pk):
    _require_manager(request.user)
    return _card_page(request, selectors.card_for(request.user, pk))


@login_required
@require_GET
def card_pdf(request, pk):
    _require_manager(request.user)
    card = selectors.card_for(request.user, pk)
    return _pdf(printing.card_pdf(card), f"card-{card.registration.number}-v{card.version}.pdf")


@login_required
@require_POST
def printed(request, pk):
    user = request.user
    _require_manager(user)
    card = selectors.card_for(user, pk)
    form = ReprintForm(request.POST) if card.print_count else None
    if form is not None and not form.is_valid():
        return _card_page(request, card, status=400, reprint_form=form)
    try:
        services.mark_printed(
            actor=user, card=card, reason=form.cleaned_data["reason"] if form else ""
        )
    except DomainError as error:
        show_domain_error(request, form, error)
        return _card_page(request, card, status=error.status, reprint_form=form)
    messages.success(request, _("The printing is recorded."))
    return redirect("cards:card", pk=card.pk)


@login_required
@require_POST
def handed_over(request, pk):
    user = request.user
    _require_manager(user)
    card = selectors.card_for(user, pk)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        return _card_page(request, card, status=400, hand_over_form=form)
    try:
        services.hand_over(actor=user, card=card, **form.cleaned_data)
    except DomainError as error:
        show_domain_error(request, form, error)
        return _card_page(request, card, status=error.status, hand_over_form=form)
    messages.success(request, _("The hand-over is recorded."))
    return redirect("cards:card", pk=card.pk)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cards(request, number):
    user = request.user
    _require_manager(user)
    registration = register_selectors.registration_for(user, number)
    form = ReissueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.reissue(actor=user, registration=registration, **form.cleaned_data)
            except DomainError as error:
                show_domain_error(request, form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Version %(version)d of the card is issued.") % {"version": new.version},
                )
                return redirect("cards:card", pk=new.pk)
        else:
            status = 400
    return render(
        request,
        "cards/registration.html",
        {
            "registration": registration,
            "number": format_number(registration.number, separator="\u00a0"),
            "cards": selectors.cards_of(registration),
            "form": form,
            "active": registration.status == registration.Status.ACTIVE,
        },
        status=status,
    )


# --- The artisan's own card ----------------------------------------------------------------


@login_required
@require_GET
def my_card(request):
    user = request.user
    if not policy.may_fetch_own_card(user):
        raise PermissionDenied
    registration = register_selectors.current_registration_of(user)
    if registration is None:
        raise Http404
    card = selectors.current_card(registration)
    if card is None:
        messages.info(request, _("Your professional card is not ready yet. Try again later."))
        return redirect("artisan:space")
    return _pdf(printing.card_pdf(card), f"card-{registration.number}-v{card.version}.pdf")


@login_required
@require_GET
def my_card_status(request):
    """Where my card is: issued (being printed), printed (ready at which chamber), handed
    over; told in words, with the chamber's address and opening hours."""
    user = request.user
    if not policy.may_fetch_own_card(user):
        raise PermissionDenied
    registration = register_selectors.current_registration_of(user)
    card = selectors.current_card(registration) if registration is not None else None
    chamber = selectors.chamber_for(card) if card is not None else None
    return render(request, "cards/mine.html", {"card": card, "chamber": chamber})
