from django.urls import path

from hirfa.verification import views

app_name = "verification"

urlpatterns = [
    path("", views.verify_page, name="verify"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("read/", views.read_code, name="read"),
]
