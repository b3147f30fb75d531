from django.urls import path

from hirfa.register.views import desk, receipts, registrations, review

app_name = "register_staff"

urlpatterns = [
    # Chamber agents: assisted filing.
    path("desk/", desk.desk, name="desk"),
    path("desk/new/", desk.desk_new, name="desk_new"),
    path("desk/new-entity/", desk.desk_new_entity, name="desk_new_entity"),
    path("desk/communes", desk.communes_options, name="communes"),
    path("desk/dossiers/<int:pk>/", desk.desk_dossier, name="desk_dossier"),
    path("desk/dossiers/<int:pk>/edit/", desk.desk_edit, name="desk_edit"),
    path("desk/dossiers/<int:pk>/documents/", desk.desk_upload, name="desk_upload"),
    path(
        "desk/dossiers/<int:pk>/documents/<int:doc_id>/",
        desk.document_file,
        name="desk_document",
    ),
    path(
        "desk/dossiers/<int:pk>/documents/<int:doc_id>/remove/",
        desk.desk_remove_document,
        name="desk_remove_document",
    ),
    path("desk/dossiers/<int:pk>/submit/", desk.desk_submit, name="desk_submit"),
    path("desk/dossiers/<int:pk>/receipt.pdf", receipts.desk_receipt, name="desk_receipt"),
    # Provincial officers: review and decision.
    path("review/", review.review_queue, name="queue"),
    path("review/<int:pk>/", review.decision, name="decision"),
    path("review/<int:pk>/documents/<int:doc_id>/", desk.document_file, name="document"),
    path("review/<int:pk>/start/", review.start_review, name="start_review"),
    path("review/<int:pk>/request-changes/", review.request_changes, name="request_changes"),
    path("review/<int:pk>/approve/", review.approve, name="approve"),
    path("review/<int:pk>/reject/", review.reject, name="reject"),
    # Registrations.
    path("registrations/", registrations.registrations, name="registrations"),
    path("registrations/<str:number>/", registrations.registration, name="registration"),
    path("registrations/<str:number>/modify/", registrations.registration_modify, name="modify"),
    path("registrations/<str:number>/suspend/", registrations.suspend, name="suspend"),
    path("registrations/<str:number>/reinstate/", registrations.reinstate, name="reinstate"),
    path("registrations/<str:number>/strike-off/", registrations.strike_off, name="strike_off"),
]
