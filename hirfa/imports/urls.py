from django.urls import path

from hirfa.imports import views

app_name = "imports"

urlpatterns = [path("", views.export_page, name="export")]
