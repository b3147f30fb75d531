from django.urls import path

from hirfa.register.views import artisan as views

app_name = "artisan"

urlpatterns = [
    path("", views.space, name="space"),
    path("claim/", views.claim, name="claim"),
    path("apply/", views.apply, name="apply"),
    path("apply/you/", views.apply_you, name="apply_you"),
    path("apply/craft/", views.apply_craft, name="apply_craft"),
    path("apply/documents/", views.apply_documents, name="apply_documents"),
    path("apply/check/", views.apply_check, name="apply_check"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("renew/", views.renew, name="renew"),
    path("modify/", views.modify, name="modify"),
    path("attestation.pdf", views.attestation, name="attestation"),
    path("communes", views.communes, name="communes"),
]
