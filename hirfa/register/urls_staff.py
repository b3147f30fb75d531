from django.urls import path

from hirfa.register.views import staff as views

app_name = "register_staff"

urlpatterns = [
    # Chamber agents: assisted filing.
    path("desk/", views.desk, name="desk"),
    path("desk/new/", views.desk_new, name="desk_new"),
    path("desk/new-entity/", views.desk_new_entity, name="desk_new_entity"),
    path("desk/communes", views.communes_options, name="communes"),
    path("desk/dossiers/<int:pk>/", views.desk_dossier, name="desk_dossier"),
    path("desk/dossiers/<int:pk>/edit/", views.desk_edit, name="desk_edit"),
    path("desk/dossiers/<int:pk>/documents/", views.desk_upload, name="desk_upload"),
    path(
        "desk/dossiers/<int:pk>/documents/<int:doc_id>/",
        views.document_file,
        name="desk_document",
    ),
    path("desk/dossiers/<int:pk>/submit/", views.desk_submit, name="desk_submit"),
    # Provincial officers: review and decision.
    path("review/", views.review_queue, name="queue"),
    path("review/<int:pk>/", views.decision, name="decision"),
    path("review/<int:pk>/documents/<int:doc_id>/", views.document_file, name="document"),
    path("review/<int:pk>/start/", views.start_review, name="start_review"),
    path("review/<int:pk>/request-changes/", views.request_changes, name="request_changes"),
    path("review/<int:pk>/approve/", views.approve, name="approve"),
    path("review/<int:pk>/reject/", views.reject, name="reject"),
    # Registrations.
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<str:number>/", views.registration, name="registration"),
    path("registrations/<str:number>/modify/", views.registration_modify, name="modify"),
    path("registrations/<str:number>/suspend/", views.suspend, name="suspend"),
    path("registrations/<str:number>/reinstate/", views.reinstate, name="reinstate"),
    path("registrations/<str:number>/strike-off/", views.strike_off, name="strike_off"),
]
