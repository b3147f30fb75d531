from django.urls import path

from hirfa.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my_work"),
    path("help/", views.help_page, name="help"),
    path("help/<slug:topic>/", views.help_page, name="help_topic"),
    path("chambers/", views.chambers, name="chambers"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_item, name="inbox_item"),
    path("inbox/digest", views.inbox_digest, name="inbox_digest"),
    path("audit/", views.trail, name="trail"),
    path("audit/verify", views.trail_verify, name="trail_verify"),
]
