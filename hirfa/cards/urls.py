from django.urls import path

from hirfa.cards import views

app_name = "cards"

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path(".well-known/rna-revocations", views.revocation_list, name="revocations"),
    path(".well-known/rna-status-list", views.status_list, name="status_list"),
    # Ahead of the JSON API's routing (see hirfa.cards.api.card_status).
    path("api/v1/cards/<str:number>/<int:version>/status", views.card_status, name="status"),
    path("cards/print/", views.print_queue, name="queue"),
    path("cards/print/printed/", views.mark_printed_many, name="printed_many"),
    path("cards/<int:pk>/", views.card, name="card"),
    path("cards/<int:pk>/card.pdf", views.card_pdf, name="card_pdf"),
    path("cards/<int:pk>/printed/", views.printed, name="printed"),
    path("cards/<int:pk>/handed-over/", views.handed_over, name="handed_over"),
    path("cards/registrations/<str:number>/", views.registration_cards, name="registration"),
    path("me/card.pdf", views.my_card, name="mine"),
    path("me/card/", views.my_card_status, name="my_status"),
]
