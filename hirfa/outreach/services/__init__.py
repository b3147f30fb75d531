"""Writes of outreach. Every state change goes through here, in a transaction, with an audit
entry; every "may" rule comes from `hirfa.outreach.policy`.

- `events`: creating and changing events and their sessions, and their states;
- `attendance`: sign-up (by phone with an SMS code, or by an agent), the waiting list,
  check-in at the door, walk-ins, reminders;
- `spot`: what is done at the event: filing from an attendee (with its referral), help
  given, questions and the FAQ.
"""

from hirfa.outreach.services.attendance import (
    cancel_sign_up,
    check_in,
    check_in_by,
    confirm_sign_up,
    record_walk_in,
    send_reminders,
    sign_up_for,
    start_sign_up,
)
from hirfa.outreach.services.events import (
    add_session,
    cancel,
    close,
    create_event,
    mark_held,
    publish,
    remove_session,
    update_event,
)
from hirfa.outreach.services.spot import (
    file_from_attendee,
    log_question,
    publish_question,
    record_service,
)

__all__ = [
    "add_session",
    "cancel",
    "cancel_sign_up",
    "check_in",
    "check_in_by",
    "close",
    "confirm_sign_up",
    "create_event",
    "file_from_attendee",
    "log_question",
    "mark_held",
    "publish",
    "publish_question",
    "record_service",
    "record_walk_in",
    "remove_session",
    "send_reminders",
    "sign_up_for",
    "start_sign_up",
    "update_event",
]
