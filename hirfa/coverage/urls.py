from django.urls import path

from hirfa.coverage import views

app_name = "coverage"

urlpatterns = [
    # The artisan.
    path("me/coverage/", views.mine, name="mine"),
    path("me/coverage/dependants/new/", views.mine_declare, name="mine_declare"),
    path("me/coverage/dependants/<int:pk>/documents/", views.mine_attach, name="mine_attach"),
    # Staff.
    path("coverage/", views.overview, name="overview"),
    path("coverage/schedule/", views.schedule, name="schedule"),
    path("coverage/artisans/", views.find_artisan, name="find"),
    path("coverage/artisans/<str:number>/", views.artisan, name="artisan"),
    path("coverage/artisans/<str:number>/declare/", views.artisan_declare, name="declare"),
    path("coverage/artisans/<str:number>/close/", views.artisan_close, name="close"),
    path("coverage/artisans/<str:number>/send-again/", views.artisan_send_again, name="send_again"),
    path("coverage/dependants/<int:pk>/", views.dependant, name="dependant"),
    path(
        "coverage/dependants/<int:pk>/documents/<int:doc_id>/", views.document_file, name="document"
    ),
]
