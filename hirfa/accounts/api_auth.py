import hashlib

from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from hirfa.accounts.models import ApiToken
from hirfa.accounts.services import spend_api_request, user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hirfa_…` with a token an administrator created; each request
    spends one of the token's budget (API_REQUESTS_PER_MINUTE, docs/decisions/0077)."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            spend_api_request(f"token:{ApiToken.digest_of(token)[:40]}")
            request.user = user
        return user


class BudgetedSessionAuth(SessionAuth):
    """A signed-in browser session (with CSRF), which spends its own budget."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            session = hashlib.sha256(str(request.session.session_key).encode()).hexdigest()
            spend_api_request(f"session:{session[:40]}")
        return user


# Endpoints that need a user accept a bearer token or a logged-in browser session.
authenticated = [TokenAuth(), BudgetedSessionAuth()]
