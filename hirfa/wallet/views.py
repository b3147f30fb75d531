"""The wallet issuance over HTTP: the issuer's metadata, the OpenID4VCI endpoints (their own
error shape, `{"error", "error_description"}`), and the pages that show the offer.

Thin: reads through selectors, writes through services (hirfa.wallet.services).
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.accounts.views_otp import qr_svg
from hirfa.cards import selectors as cards_selectors
from hirfa.core.errors import DomainError
from hirfa.register import selectors as register_selectors
from hirfa.wallet import issuer, policy, services

MAX_BODY = 16_384

# --- Metadata ----------------------------------------------------------------------------


def _public_json(body: dict) -> JsonResponse:
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def credential_issuer(request):
    return _public_json(issuer.credential_issuer_metadata())


@require_GET
def authorization_server(request):
    return _public_json(issuer.authorization_server_metadata())


@require_GET
def jwt_vc_issuer(request):
    return _public_json(issuer.jwt_vc_issuer_metadata())


# --- OpenID4VCI endpoints ------------------------------------------------------------------


def _no_store(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _error(error: services.OAuthError) -> JsonResponse:
    response = _no_store(
        {"error": error.error, "error_description": error.description}, status=error.status
    )
    if error.status == 401:
        response["WWW-Authenticate"] = f'Bearer error="{error.error}"'
    return response


@csrf_exempt
@require_POST
def token(request):
    """RFC 6749 token endpoint, for the pre-authorized code grant only (form-encoded)."""
    grant = request.POST.get("grant_type")
    if not grant:
        return _error(services.OAuthError("invalid_request", "grant_type is required"))
    if grant != issuer.PRE_AUTHORIZED_GRANT:
        return _error(services.OAuthError("unsupported_grant_type", "pre-authorized code only"))
    code = request.POST.get("pre-authorized_code")
    if not code:
        return _error(services.OAuthError("invalid_request", "pre-authorized_code is required"))
    try:
        access_token, lifetime = services.redeem(
            pre_authorized_code=code, tx_code=request.POST.get("tx_code")
        )
    except services.OAuthError as error:
        return _error(error)
    return _no_store({"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime})


@csrf_exempt
@require_POST
def nonce(request):
    return _no_store({"c_nonce": issuer.new_nonce()})


@csrf_exempt
@require_POST
def credential(request):
    scheme, _space, access_token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not access_token.strip():
        return _error(services.OAuthError("invalid_token", "a Bearer token is required", 401))
    if len(request.body) > MAX_BODY:
        return _error(services.OAuthError("invalid_credential_request", "body too large"))
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(services.OAuthError("invalid_credential_request", "the body is not JSON"))
    try:
        issued = services.issue(access_token=access_token.strip(), request=body)
    except services.OAuthError as error:
        return _error(error)
    return _no_store({"credentials": [{"credential": issued}]})


# --- Pages that show the offer ---------------------------------------------------------------


def _offer_page(request, card, *, offer=None, error=None, at_hand_over=False, status=200):
    context = {
        "card": card,
        "at_hand_over": at_hand_over,
        "error": error,
        "may_go": policy.card_may_go_to_wallet(card) if card is not None else False,
    }
    if offer is not None:
        context["qr"] = qr_svg(offer.uri, label=_("QR code to scan with your wallet app"))
        context["offer_uri"] = offer.uri
        context["phone_end"] = offer.offer.phone[-2:]
        context["minutes"] = int(policy.OFFER_LIFETIME.total_seconds() // 60)
    response = render(request, "wallet/offer.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_wallet(request):
    """The artisan puts their own current card in their phone's wallet."""
    user = request.user
    if not policy.may_offer_own_card(user):
        raise PermissionDenied
    registration = register_selectors.current_registration_of(user)
    if registration is None:
        raise Http404
    card = cards_selectors.current_card(registration)
    if request.method == "GET":
        return _offer_page(request, card)
    if card is None:
        message = _("Only a current card can be put in a phone wallet.")
        return _offer_page(request, card, error=message, status=409)
    try:
        offer = services.offer_card(actor=user, card=card)
    except DomainError as error:
        return _offer_page(request, card, error=error.message, status=error.status)
    return _offer_page(request, card, offer=offer)


@login_required
@require_POST
def hand_over_offer(request, pk):
    """At the hand-over, the agent shows the offer for the artisan's phone to scan."""
    user = request.user
    if not policy.may_offer_at_hand_over(user):
        raise PermissionDenied
    card = cards_selectors.card_for(user, pk)
    try:
        offer = services.offer_card(actor=user, card=card, at_hand_over=True)
    except DomainError as error:
        return _offer_page(
            request, card, error=error.message, at_hand_over=True, status=error.status
        )
    return _offer_page(request, card, offer=offer, at_hand_over=True)
