from django.urls import path

from hirfa.crafts import views

app_name = "crafts"

urlpatterns = [path("", views.nomenclature, name="list")]
