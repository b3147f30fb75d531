from django.urls import path

from hirfa.register.views import status as views

app_name = "status"

urlpatterns = [
    path("", views.status, name="start"),
    path("code/", views.status_code, name="code"),
]
