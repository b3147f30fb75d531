from django.urls import path

from hirfa.registry import views

app_name = "registry"

urlpatterns = [
    path("sync/search", views.search, name="search"),
    path("subscribe", views.subscribe, name="subscribe"),
    path("unsubscribe", views.unsubscribe, name="unsubscribe"),
    path("txn/status", views.txn_status, name="txn_status"),
    path("jwks.json", views.jwks, name="jwks"),
]
