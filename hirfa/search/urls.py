from django.urls import path

from hirfa.search import views

app_name = "search"

urlpatterns = [path("", views.search_page, name="search")]
