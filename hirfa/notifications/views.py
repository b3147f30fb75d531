"""The delivery-report webhook of the SMS gateway: machine-facing, no login."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hirfa.core.api_errors import error_body
from hirfa.notifications import webhooks
from hirfa.notifications.services import record_delivery_report

MAX_BODY_BYTES = 16_384


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


@csrf_exempt
@require_POST
def delivery_report(request):
    """Apply one signed delivery report; 200 {"result": updated|unchanged|unknown}."""
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "too_large", "report too large")
    try:
        webhooks.verify(
            body,
            request.headers.get(webhooks.TIMESTAMP_HEADER),
            request.headers.get(webhooks.SIGNATURE_HEADER),
        )
        report = webhooks.parse(body)
    except webhooks.Unsigned as error:
        return _error(401, "not_authenticated", str(error))
    except webhooks.BadSignature as error:
        return _error(403, "forbidden", str(error))
    except webhooks.Malformed as error:
        return _error(400, "bad_request", str(error))
    result = record_delivery_report(
        reference=report.reference,
        gateway_id=report.gateway_id,
        status=report.status,
        at=report.at,
    )
    return JsonResponse({"result": result})
