"""Idempotency keys for API writes: the same request sent twice is answered once.

A client that did not hear the answer (a phone losing its network at a fair)
sends the request again with the same `Idempotency-Key`; it gets the first
answer back instead of filing a second dossier.
"""

import functools
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Status

from hirfa.core.errors import Conflict, DomainError
from hirfa.core.models import IdempotentRequest

MAX_KEY_LENGTH = 100


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:
        # Multipart bodies were already consumed: fingerprint their fields and files.
        for name, value in sorted(request.POST.items()):
            digest.update(f"{name}={value}\n".encode())
        for name, upload in sorted(request.FILES.items()):
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
    return digest.hexdigest()


def idempotent(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        user = getattr(request, "auth", None)
        if not key or user is None:
            return view(request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise DomainError(
                _("The %(header)s header is not valid.") % {"header": "Idempotency-Key"}
            )
        fingerprint = _fingerprint(request)
        previous = IdempotentRequest.objects.filter(user=user, key=key).first()
        if previous is not None:
            return _replay(previous, fingerprint)
        result = view(request, *args, **kwargs)
        status, body = (
            (result.status_code, result.value) if isinstance(result, Status) else (200, result)
        )
        body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
        try:
            with transaction.atomic():
                IdempotentRequest.objects.create(
                    user=user, key=key, fingerprint=fingerprint, status=status, body=body
                )
        except IntegrityError:
            # The same key arrived twice at once: the other answer was stored first.
            return _replay(IdempotentRequest.objects.get(user=user, key=key), fingerprint)
        return Status(status, body)

    return wrapper


def _replay(previous: IdempotentRequest, fingerprint: str):
    if previous.fingerprint != fingerprint:
        raise Conflict(
            _("This %(header)s was already used for a different request.")
            % {"header": "Idempotency-Key"}
        )
    return Status(previous.status, previous.body)
