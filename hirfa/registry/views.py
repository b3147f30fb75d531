"""The SPDCI registry API over HTTP (docs/spdci.md): JSON in, JSON out, no session, no CSRF
(the messages are signed). Thin: `services.receive` does the work."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hirfa.registry import envelope, messages, policy, services


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _endpoint(action: str):
    @csrf_exempt
    @require_POST
    def view(request):
        if len(request.body) > policy.MAX_BODY:
            return _json(envelope.error_body("err.request.bad", "the body is too large"), 413)
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return _json(envelope.error_body("err.request.bad", "the body is not JSON"), 400)
        answer = services.receive(action=action, body=body)
        return _json(answer.body, answer.status)

    view.__name__ = action.replace("/", "_")
    return view


search = _endpoint("search")
subscribe = _endpoint("subscribe")
unsubscribe = _endpoint("unsubscribe")
txn_status = _endpoint("txn/status")


@require_GET
def jwks(request):
    response = JsonResponse(messages.jwks())
    response["Content-Type"] = "application/jwk-set+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response
