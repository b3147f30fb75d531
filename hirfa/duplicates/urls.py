from django.urls import path

from hirfa.duplicates import views

app_name = "duplicates"

urlpatterns = [
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
