from django.urls import path

from hirfa.field import views

app_name = "field"

urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("reference.json", views.reference, name="reference"),
    path("session.json", views.session, name="session"),
    path("attention/", views.attention, name="attention"),
    path("attention/<int:pk>/", views.attention_item, name="attention_item"),
    path("attention/<int:pk>/settle", views.settle, name="settle"),
]
