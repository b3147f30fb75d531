from django.urls import path

from hirfa.wallet import views

app_name = "wallet"

urlpatterns = [
    path(".well-known/openid-credential-issuer", views.credential_issuer, name="metadata"),
    path(".well-known/oauth-authorization-server", views.authorization_server, name="as"),
    path(".well-known/jwt-vc-issuer", views.jwt_vc_issuer, name="jwt_vc_issuer"),
    path("openid4vci/token", views.token, name="token"),
    path("openid4vci/nonce", views.nonce, name="nonce"),
    path("openid4vci/credential", views.credential, name="credential"),
    path("me/card/wallet/", views.my_wallet, name="mine"),
    path("cards/<int:pk>/wallet/", views.hand_over_offer, name="hand_over"),
]
