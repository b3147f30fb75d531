"""Every read of personal data, logged in one place (Law 09-08: who opened whose data).

The selectors that hand a person's data to a reader — a dossier, a registration, a
coverage, a document, a card, the rows of a list or of a search — note what they hand out
with `seen` / `seen_all` for the request being answered. `PersonalDataAccessMiddleware`
writes what the request noted, once the answer is ready and only if it was a success, as
audit entries by the reader (`record_many`: one chain-head read for the page): one
`<model>.viewed` entry per person, entity or dependant, `reason` the page or endpoint.
Outside a request (jobs, commands) nothing is noted: those are the system's own reads.
"""

from contextvars import ContextVar

from django.db import transaction

from hirfa.audit.services import record_many

_reads: ContextVar[dict | None] = ContextVar("hirfa_personal_data_reads", default=None)


def seen(subject, *, province_code: str | None = None) -> None:
    """The current request shows `subject` (a person, an entity, a dependant)."""
    if subject is not None:
        seen_id(type(subject), getattr(subject, "pk", None), province_code=province_code)


def seen_id(model, pk, *, province_code: str | None = None) -> None:
    """`seen` for a subject read as values: its model and id."""
    reads = _reads.get()
    if reads is None or pk is None:
        return
    reads.setdefault((model._meta.label_lower, str(pk)), (model._meta.model_name, province_code))


def seen_all(subjects, *, province_code_of=None) -> None:
    for subject in subjects:
        seen(subject, province_code=province_code_of(subject) if province_code_of else None)


def _reader(request):
    # API calls authenticate per request (bearer token or session): ninja sets `auth`.
    for user in (getattr(request, "auth", None), getattr(request, "user", None)):
        if getattr(user, "is_authenticated", False):
            return user
    return None


class PersonalDataAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads.set({})
        try:
            response = self.get_response(request)
            reads = _reads.get()
        finally:
            _reads.reset(token)
        reader = _reader(request)
        if reads and reader is not None and response.status_code < 400:
            where = f"{request.method} {request.path}"[:200]
            with transaction.atomic():
                record_many(
                    actor=reader,
                    entries=[
                        {
                            "action": f"{model_name}.viewed",
                            "object_type": object_type,
                            "object_id": object_id,
                            "province_code": province_code,
                            "reason": where,
                        }
                        for (object_type, object_id), (model_name, province_code) in reads.items()
                    ],
                )
        return response
