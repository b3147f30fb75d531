from django.urls import path

from hirfa.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("my-data.json", views.data_json, name="json"),
    path("my-data.pdf", views.data_pdf, name="pdf"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("dependant-documents/<int:pk>/", views.dependant_document, name="dependant_document"),
]
