"""The funnel as tables of figures (`core.tables.Table`), for the staff pages: the steps of
one funnel, its splits, and events or kinds of event side by side."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hirfa.core.tables import Column, Table
from hirfa.outreach import funnel
from hirfa.outreach.models import Event


def attribution_note() -> str:
    return _(
        "Credit: a file started on the spot belongs to its event; any other first "
        "application to the last event its applicant attended in the %(days)d days before "
        "starting it (by card, CNIE or phone)."
    ) % {"days": settings.OUTREACH_ATTRIBUTION_DAYS}


def _step_columns() -> tuple[Column, ...]:
    return tuple(Column(key, str(label), numeric=True) for key, label in funnel.STEPS)


def steps_table(result: funnel.Funnel, *, key: str, title: str) -> Table:
    rows = tuple(
        {
            "step": str(step.label),
            "people": step.count,
            "rate": step.rate,
            "overall": step.overall,
            "median": step.median_days,
        }
        for step in result.steps
    )
    return Table(
        key=key,
        title=title,
        columns=(
            Column("step", _("Step")),
            Column("people", _("People"), numeric=True),
            Column("rate", _("Of the step before (%)"), numeric=True),
            Column("overall", _("Of those signed up (%)"), numeric=True),
            Column("median", _("Median days from the step before"), numeric=True),
        ),
        rows=rows,
        x="step",
        series=("people",),
        as_of=timezone.now(),
        note=attribution_note(),
    )


def split_tables(result: funnel.Funnel, *, key: str) -> list[Table]:
    titles = dict(funnel.SPLITS)
    return [
        Table(
            key=f"{key}-{name}",
            title=_("By %(split)s") % {"split": str(titles[name]).lower()},
            columns=(Column("value", str(titles[name])), *_step_columns()),
            rows=tuple({"value": label} | counts for label, counts in rows),
            x="value",
            series=("signed_up", "enrolled"),
        )
        for name, rows in result.splits.items()
    ]


def _to_amo(counts: dict[str, int]) -> float | int | None:
    return funnel.percent(counts.get("enrolled", 0), counts.get("signed_up", 0))


def events_table(events, counts: dict[int, dict[str, int]], *, key: str = "events") -> Table:
    empty = dict.fromkeys(funnel.STEP_KEYS, 0)
    rows = []
    for event in events:
        figures = counts.get(event.pk, empty)
        rows.append(
            {
                "event": event.name,
                "kind": event.get_kind_display(),
                "date": date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT")
                if event.starts_at
                else None,
                **figures,
                "to_amo": _to_amo(figures),
            }
        )
    return Table(
        key=key,
        title=_("Events side by side"),
        columns=(
            Column("event", _("Event")),
            Column("kind", _("Kind")),
            Column("date", _("Date")),
            *_step_columns(),
            Column("to_amo", _("Reached AMO (%)"), numeric=True),
        ),
        rows=tuple(rows),
        x="event",
        series=("signed_up", "enrolled"),
        note=attribution_note(),
    )


def kinds_table(kinds: dict[str, int], counts: dict[int, dict[str, int]]) -> Table:
    """`kinds`: event id → kind, for every event compared."""
    totals = {kind: dict.fromkeys(funnel.STEP_KEYS, 0) for kind in Event.Kind.values}
    for pk, kind in kinds.items():
        for step, value in counts.get(pk, {}).items():
            totals[kind][step] += value
    number = dict.fromkeys(Event.Kind.values, 0)
    for kind in kinds.values():
        number[kind] += 1
    rows = tuple(
        {"kind": label, "events": number[kind], **totals[kind], "to_amo": _to_amo(totals[kind])}
        for kind, label in Event.Kind.choices
        if number[kind]
    )
    return Table(
        key="kinds",
        title=_("Which kind of event brings artisans all the way to AMO?"),
        columns=(
            Column("kind", _("Kind of event")),
            Column("events", _("Events"), numeric=True),
            *_step_columns(),
            Column("to_amo", _("Reached AMO (%)"), numeric=True),
        ),
        rows=rows,
        x="kind",
        series=("to_amo",),
    )
