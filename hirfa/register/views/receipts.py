"""The receipt of filing as a PDF download: for the artisan from their space, for staff
from the desk (hirfa.register.services.receipts). Someone else's file answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from hirfa.accounts.roles import Capability, require_capability
from hirfa.core.languages import is_supported
from hirfa.register import services
from hirfa.register.numbers import dossier_reference
from hirfa.register.views.artisan import artisan_required


def _download(request, pk, language):
    dossier, pdf = services.receipt_pdf(actor=request.user, dossier_pk=pk, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="receipt-{dossier_reference(dossier.pk)}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@artisan_required
def artisan_receipt(request, pk):
    """My receipt, in the language I read the site in."""
    return _download(request, pk, translation.get_language())


@login_required
@require_GET
def desk_receipt(request, pk):
    """A file's receipt for the artisan at the desk, in the language asked (`?lang=`)."""
    require_capability(request.user, Capability.FILE_ASSISTED, Capability.REVIEW)
    language = request.GET.get("lang")
    return _download(request, pk, language if is_supported(language) else "ar")
