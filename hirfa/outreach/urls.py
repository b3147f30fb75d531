from django.urls import path

from hirfa.outreach.views import door, funnel, public, staff

app_name = "outreach"

urlpatterns = [
    # The public.
    path("events/", public.events, name="events"),
    path("events/region/<str:code>.ics", public.region_ics, name="region_ics"),
    path("events/<str:key>/", public.event, name="event"),
    path("events/<str:key>/event.ics", public.event_ics, name="event_ics"),
    path("events/<str:key>/poster.pdf", public.poster, name="poster"),
    path("events/<str:key>/sign-up/", public.sign_up, name="sign_up"),
    path("events/<str:key>/sign-up/confirm/", public.confirm, name="confirm"),
    # Staff.
    path("outreach/", staff.staff_events, name="staff_events"),
    path("outreach/new/", staff.new_event, name="new_event"),
    path("outreach/funnel/", funnel.compare, name="funnel"),
    path("outreach/<int:pk>/funnel/", funnel.event_funnel, name="event_funnel"),
    path("outreach/<int:pk>/", staff.staff_event, name="staff_event"),
    path("outreach/<int:pk>/edit/", staff.edit_event, name="edit_event"),
    path("outreach/<int:pk>/move/<str:to>/", staff.move, name="move"),
    path("outreach/<int:pk>/sessions/", staff.add_session, name="add_session"),
    path(
        "outreach/<int:pk>/sessions/<int:session_id>/remove/",
        staff.remove_session,
        name="remove_session",
    ),
    path("outreach/<int:pk>/sign-up/", staff.sign_up_for, name="sign_up_for"),
    path(
        "outreach/<int:pk>/attendees/<int:attendee_id>/cancel/",
        staff.cancel_attendee,
        name="cancel_attendee",
    ),
    path(
        "outreach/<int:pk>/attendees/<int:attendee_id>/help/",
        staff.record_service,
        name="record_service",
    ),
    path(
        "outreach/<int:pk>/attendees/<int:attendee_id>/file/",
        door.file_from_attendee,
        name="file_from_attendee",
    ),
    path("outreach/<int:pk>/questions/", staff.log_question, name="log_question"),
    path(
        "outreach/<int:pk>/questions/<int:question_id>/publish/",
        staff.publish_question,
        name="publish_question",
    ),
    path("outreach/<int:pk>/door/", door.door, name="door"),
    path("outreach/<int:pk>/door/counts/", door.counts, name="counts"),
    path("outreach/<int:pk>/door/check-in/", door.check_in, name="check_in"),
    path("outreach/<int:pk>/door/walk-in/", door.walk_in, name="walk_in"),
]
