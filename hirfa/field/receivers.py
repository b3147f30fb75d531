"""The field app listens to the register: a file filed from the field that moves on (sent
for review, withdrawn) no longer needs the attention its item asked for."""

from django.contrib.auth.signals import user_logged_out

from hirfa.field.policy import may_use_field_app
from hirfa.field.selectors import agent_key
from hirfa.field.services import settle_for_dossier
from hirfa.register import signals


def _moved(sender, *, dossier, action, previous, **kwargs):
    # An item needs attention only for the draft it filed (`services.post_item`): the
    # file's first move out of the draft ends it, later moves have nothing to settle
    # (and approvals, the hottest write, no query to run; decision 81).
    if previous == "draft":
        settle_for_dossier(dossier)


def _logged_out(sender, *, request, user, **kwargs):
    if user is not None and may_use_field_app(user):
        request.field_wipe = agent_key(user)


def connect() -> None:
    user_logged_out.connect(_logged_out, dispatch_uid="field.logged_out")
    signals.dossier_moved.connect(_moved, dispatch_uid="field.dossier_moved")
