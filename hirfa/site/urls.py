from django.urls import path

from hirfa.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my_work"),
]
