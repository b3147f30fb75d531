from django.urls import path

from hirfa.register.views import public as views

app_name = "public"

urlpatterns = [
    # /verify/ itself is the card verifier (hirfa.verification), which links here.
    path("attestation/", views.verify_form, name="verify"),
    path(
        "attestation/<str:number>/<str:code>/",
        views.verify_attestation,
        name="verify_attestation",
    ),
]
