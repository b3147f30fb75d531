from ninja.security import HttpBearer, django_auth

from hirfa.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hirfa_…` with a token an administrator created."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


# Endpoints that need a user accept a bearer token or a logged-in browser session.
authenticated = [TokenAuth(), django_auth]
