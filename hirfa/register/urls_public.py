from django.urls import path

from hirfa.register.views import public as views

app_name = "public"

urlpatterns = [
    path("", views.verify_form, name="verify"),
    path(
        "attestation/<str:number>/<str:code>/",
        views.verify_attestation,
        name="verify_attestation",
    ),
]
