from django.urls import path

from hirfa.register.views import apply, artisan, receipts

app_name = "artisan"

urlpatterns = [
    path("", artisan.space, name="space"),
    path("claim/", artisan.claim, name="claim"),
    path("apply/", apply.apply, name="apply"),
    path("apply/you/", apply.apply_you, name="apply_you"),
    path("apply/craft/", apply.apply_craft, name="apply_craft"),
    path("apply/documents/", apply.apply_documents, name="apply_documents"),
    path(
        "apply/documents/<int:doc_id>/remove/",
        apply.remove_document,
        name="remove_document",
    ),
    path("apply/check/", apply.apply_check, name="apply_check"),
    path("withdraw/", artisan.withdraw, name="withdraw"),
    path("renew/", artisan.renew, name="renew"),
    path("modify/", apply.modify, name="modify"),
    path("attestation.pdf", artisan.attestation, name="attestation"),
    path("files/<int:pk>/receipt.pdf", receipts.artisan_receipt, name="receipt"),
    path("communes", artisan.communes, name="communes"),
]
