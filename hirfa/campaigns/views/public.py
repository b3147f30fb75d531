"""What needs no login: the unsubscribe link of a campaign message, and the SMS gateway's
signed inbound messages (a STOP reply)."""

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from hirfa.campaigns import services
from hirfa.core.api_errors import error_body
from hirfa.core.errors import DomainError
from hirfa.core.validators import normalise_phone
from hirfa.notifications import webhooks

MAX_BODY_BYTES = 16_384


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (a link previewer must not unsubscribe anyone); POST does it."""
    try:
        services.read_unsubscribe_token(token)
    except DomainError as error:
        return render(request, "campaigns/unsubscribe.html", {"invalid": error.message}, status=404)
    done = False
    if request.method == "POST":
        services.unsubscribe(token=token)
        done = True
    return render(request, "campaigns/unsubscribe.html", {"done": done})


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


@csrf_exempt
@require_POST
def inbound_sms(request):
    """One signed inbound SMS {"from", "text"} (decision 41's signature): a STOP opts the
    number out; 200 {"result": opted_out|unchanged|ignored}."""
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "too_large", "message too large")
    try:
        webhooks.verify(
            body,
            request.headers.get(webhooks.TIMESTAMP_HEADER),
            request.headers.get(webhooks.SIGNATURE_HEADER),
        )
    except webhooks.Unsigned as error:
        return _error(401, "not_authenticated", str(error))
    except webhooks.BadSignature as error:
        return _error(403, "forbidden", str(error))
    try:
        data = json.loads(body)
        sender, text = data["from"], data["text"]
        if not isinstance(sender, str) or not isinstance(text, str):
            raise TypeError
        phone = normalise_phone(sender, mobile_only=False)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return _error(400, "bad_request", 'expected {"from": phone, "text": text}')
    except ValidationError:
        return _error(400, "bad_request", "from is not a Moroccan phone number")
    return JsonResponse({"result": services.stop_by_sms(phone=phone, text=text)})
