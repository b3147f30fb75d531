"""Tables of the work done on the register: applications and decisions, cards, AMO coverage
and outreach events (registrations and the census are in `figures`)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hirfa.core.tables import Column, Table
from hirfa.coverage.models import State as AmoState
from hirfa.register.models import Dossier
from hirfa.stats import labels, measures, selectors
from hirfa.stats.figures import LIVE, _month_label, _months, _num, _percentile, _rate

# --- Applications and decisions --------------------------------------------------------


def applications_by_month(lookup, filters, as_of=None) -> Table:
    submitted = selectors.summed(selectors.counts(lookup, measures.APPLICATIONS, filters), "month")
    decided = selectors.summed(
        selectors.counts(lookup, measures.DECISIONS, filters), "month", "state"
    )
    filed = {row["month"]: row["total"] for row in submitted}
    outcomes = defaultdict(dict)
    for row in decided:
        outcomes[row["month"]][row["state"]] = row["total"]
    rows = tuple(
        {
            "month": _month_label(month),
            "submitted": filed.get(month, 0),
            "approved": outcomes[month].get(Dossier.State.APPROVED, 0),
            "rejected": outcomes[month].get(Dossier.State.REJECTED, 0),
        }
        for month in _months(filters)
    )
    return Table(
        key="applications-by-month",
        title=_("Applications submitted and decided, month by month"),
        columns=(
            Column("month", _("Month")),
            _num("submitted", _("Submitted")),
            _num("approved", _("Approved")),
            _num("rejected", _("Rejected")),
        ),
        rows=rows,
        chart="bar",
        x="month",
        series=("submitted", "approved", "rejected"),
        as_of=as_of,
    )


def review_times(lookup, filters, as_of=None) -> Table:
    """Days from submission to decision per province: median and 90th percentile."""
    histogram = defaultdict(list)
    rows = selectors.summed(
        selectors.counts(lookup, measures.DECISIONS, filters), "province_id", "detail"
    )
    for row in rows:
        histogram[row["province_id"]].append((int(row["detail"] or 0), row["total"]))
    table_rows = []
    for province in selectors.provinces_in(lookup, filters).filter(pk__in=histogram):
        days = histogram[province.pk]
        table_rows.append(
            {
                "code": province.code,
                "name": province.name,
                "decisions": sum(n for _d, n in days),
                "median": _percentile(days, 0.5),
                "p90": _percentile(days, 0.9),
            }
        )
    return Table(
        key="review-times",
        title=_("Review time in days, by province"),
        columns=(
            Column("code", _("HCP code")),
            Column("name", _("Province")),
            _num("decisions", _("Decisions")),
            _num("median", _("Median (days)")),
            _num("p90", _("90th percentile (days)")),
        ),
        rows=tuple(table_rows),
        chart="bar",
        x="name",
        series=("median", "p90"),
        as_of=as_of,
    )


def rejection_reasons(lookup, filters, as_of=None) -> Table:
    rows = selectors.summed(selectors.counts(lookup, measures.REJECTIONS, filters), "detail")
    return Table(
        key="rejection-reasons",
        title=_("Reasons of the rejections"),
        columns=(Column("reason", _("Reason")), _num("rejections", _("Rejections"))),
        rows=tuple(
            {"reason": str(labels.reason_label(r["detail"])), "rejections": r["total"]}
            for r in sorted(rows, key=lambda r: -r["total"])
        ),
        chart="bar",
        x="reason",
        series=("rejections",),
        as_of=as_of,
    )


# --- Cards -----------------------------------------------------------------------------


def cards_by_month(lookup, filters, as_of=None) -> Table:
    issued = selectors.summed(selectors.counts(lookup, measures.CARDS_ISSUED, filters), "month")
    handed = selectors.summed(
        selectors.counts(lookup, measures.CARDS_HANDED_OVER, filters), "month"
    )
    prints = selectors.summed(
        selectors.counts(lookup, measures.CARD_PRINTS, filters), "month", "state"
    )
    by = defaultdict(lambda: defaultdict(int))
    for row in issued:
        by[row["month"]]["issued"] += row["total"]
    for row in handed:
        by[row["month"]]["handed_over"] += row["total"]
    for row in prints:
        name = "reprinted" if row["state"] == "reprint" else "printed"
        by[row["month"]][name] += row["total"]
    rows = tuple(
        {
            "month": _month_label(month),
            "issued": by[month]["issued"],
            "printed": by[month]["printed"],
            "handed_over": by[month]["handed_over"],
            "reprinted": by[month]["reprinted"],
        }
        for month in _months(filters)
    )
    return Table(
        key="cards-by-month",
        title=_("Professional cards, month by month"),
        columns=(
            Column("month", _("Month")),
            _num("issued", _("Issued")),
            _num("printed", _("Printed")),
            _num("handed_over", _("Handed over")),
            _num("reprinted", _("Reprinted")),
        ),
        rows=rows,
        chart="bar",
        x="month",
        series=("issued", "printed", "handed_over", "reprinted"),
        as_of=as_of,
    )


def cards_by_province(lookup, filters, as_of=None) -> Table:
    """Cards of the period per province: issued, printed (or handed over), handed over,
    reprinted."""
    issued = selectors.summed(
        selectors.counts(lookup, measures.CARDS_ISSUED, filters), "province_id", "state"
    )
    prints = selectors.summed(
        selectors.counts(lookup, measures.CARD_PRINTS, filters).filter(state="reprint"),
        "province_id",
    )
    by = defaultdict(lambda: defaultdict(int))
    for row in issued:
        by[row["province_id"]]["issued"] += row["total"]
        if row["state"] in ("printed", "handed_over"):
            by[row["province_id"]]["printed"] += row["total"]
        if row["state"] == "handed_over":
            by[row["province_id"]]["handed_over"] += row["total"]
    for row in prints:
        by[row["province_id"]]["reprinted"] += row["total"]
    rows = tuple(
        {
            "code": province.code,
            "name": province.name,
            **{name: by[province.pk][name] for name in CARD_FIGURES},
        }
        for province in selectors.provinces_in(lookup, filters)
    )
    return Table(
        key="cards-by-province",
        title=_("Professional cards of the period, by province"),
        columns=(
            Column("code", _("HCP code")),
            Column("name", _("Province")),
            _num("issued", _("Issued")),
            _num("printed", _("Printed")),
            _num("handed_over", _("Handed over")),
            _num("reprinted", _("Reprinted")),
        ),
        rows=rows,
        chart="map",
        map_level="province",
        x="code",
        series=("handed_over",),
        as_of=as_of,
        note=_("Printed: the cards of the period printed, whether handed over yet or not."),
    )


CARD_FIGURES = ("issued", "printed", "handed_over", "reprinted")


# --- AMO -------------------------------------------------------------------------------

FUNNEL = (
    AmoState.SENT,
    AmoState.IMMATRICULATED,
    measures.PAYING,
    AmoState.RIGHTS_OPEN,
    AmoState.SUSPENDED,
)


# Under the tables of today's states (funnel, by province): the period does not apply.
TODAY = _("Today's situation: the period chosen does not change this table.")
STEPS = (
    ("sent", AmoState.SENT),
    ("immatriculated", AmoState.IMMATRICULATED),
    ("rights_open", AmoState.RIGHTS_OPEN),
    ("suspended", AmoState.SUSPENDED),
    ("closed", AmoState.CLOSED),
)


def amo_by_month(lookup, filters, as_of=None) -> Table:
    """Month by month in the period: the enrolments that reached each step (each counted
    once per step, in the month it last reached it) and the dependants declared."""
    steps = selectors.summed(
        selectors.counts(lookup, measures.AMO_STEPS, filters), "month", "state"
    )
    declared = selectors.summed(selectors.counts(lookup, measures.DEPENDANTS, filters), "month")
    by = defaultdict(lambda: defaultdict(int))
    for row in steps:
        by[row["month"]][row["state"]] += row["total"]
    for row in declared:
        by[row["month"]]["dependants"] += row["total"]
    rows = tuple(
        {
            "month": _month_label(month),
            **{name: by[month][str(state)] for name, state in STEPS},
            "dependants": by[month]["dependants"],
        }
        for month in _months(filters)
    )
    period = _("The period chosen (%(start)s – %(end)s) applies to this table.") % {
        "start": _month_label(filters.start),
        "end": _month_label(filters.end),
    }
    return Table(
        key="amo-by-month",
        title=_("Health coverage (AMO), month by month: steps reached, dependants declared"),
        columns=(
            Column("month", _("Month")),
            _num("sent", _("Pre-registered (sent to the CNSS)")),
            _num("immatriculated", _("Immatriculated")),
            _num("rights_open", _("Rights opened")),
            _num("suspended", _("Rights suspended")),
            _num("closed", _("Enrolments closed")),
            _num("dependants", _("Dependants declared in the month")),
        ),
        rows=rows,
        chart="bar",
        x="month",
        series=("sent", "immatriculated", "rights_open", "suspended"),
        as_of=as_of,
        note=format_lazy(
            "{} {}",
            period,
            _(
                "Each enrolment counts once per step, in the month it last reached it: rights "
                "reopened after a suspension count in the month they reopened. Paying artisans "
                "and the coverage rate are today's figures (tables below)."
            ),
        ),
    )


def amo_by_province(lookup, filters, as_of=None) -> Table:
    """Today's AMO states per province (not a period: a state is counted where it stands)."""
    states = selectors.summed(
        selectors.counts(lookup, measures.AMO, filters, period=False),
        "province_id",
        "state",
        "detail",
    )
    registered = selectors.summed(
        selectors.counts(lookup, measures.PLACE, filters, period=False)
        .filter(state__in=LIVE)
        .exclude(sex=""),
        "province_id",
    )
    dependants = selectors.summed(
        selectors.counts(lookup, measures.DEPENDANTS, filters, period=False).filter(
            state__in=("confirmed", "accepted")
        ),
        "province_id",
    )
    by = defaultdict(lambda: defaultdict(int))
    for row in states:
        by[row["province_id"]][row["state"]] += row["total"]
        if row["detail"] == measures.PAYING:
            by[row["province_id"]][measures.PAYING] += row["total"]
    for row in registered:
        by[row["province_id"]]["registered"] = row["total"]
    for row in dependants:
        by[row["province_id"]]["dependants"] = row["total"]
    rows = []
    for province in selectors.provinces_in(lookup, filters):
        f = by.get(province.pk, {})
        rows.append(
            {
                "code": province.code,
                "name": province.name,
                "registered": f.get("registered", 0),
                **{str(state): f.get(state, 0) for state in FUNNEL},
                "dependants": f.get("dependants", 0),
                "coverage": _rate(f.get(AmoState.RIGHTS_OPEN, 0), f.get("registered", 0)),
            }
        )
    return Table(
        key="amo-by-province",
        title=_("Health coverage (AMO) of registered artisans, by province: today"),
        columns=(
            Column("code", _("HCP code")),
            Column("name", _("Province")),
            _num("registered", _("Registered artisans")),
            _num(str(AmoState.SENT), _("Pre-registered (sent to the CNSS)")),
            _num(str(AmoState.IMMATRICULATED), _("Immatriculated")),
            _num(measures.PAYING, _("Paying")),
            _num(str(AmoState.RIGHTS_OPEN), _("Rights open")),
            _num(str(AmoState.SUSPENDED), _("Rights suspended")),
            _num("dependants", _("Dependants")),
            _num("coverage", _("Coverage rate (%)")),
        ),
        rows=tuple(rows),
        chart="map",
        map_level="province",
        x="code",
        series=("coverage",),
        as_of=as_of,
        note=format_lazy(
            "{} {}",
            TODAY,
            _("Coverage rate: artisans whose rights are open per 100 registered artisans."),
        ),
    )


def amo_funnel(table: Table) -> Table:
    """The totals of `amo_by_province`, stage by stage."""
    stages = [str(state) for state in FUNNEL]
    labels_of = {column.key: column.label for column in table.columns}
    rows = tuple(
        {"stage": labels_of[stage], "artisans": sum(r[stage] for r in table.rows)}
        for stage in stages
    )
    return Table(
        key="amo-funnel",
        title=_("From pre-registration to open rights: today"),
        columns=(Column("stage", _("Stage")), _num("artisans", _("Artisans"))),
        rows=rows,
        chart="bar",
        x="stage",
        series=("artisans",),
        as_of=table.as_of,
        note=TODAY,
    )


# --- Outreach --------------------------------------------------------------------------


def outreach_by_month(lookup, filters, as_of=None) -> Table:
    found = {
        row["month"].date().replace(day=1) if hasattr(row["month"], "date") else row["month"]: row
        for row in selectors.events_by_month(lookup, filters)
    }
    rows = tuple(
        {
            "month": _month_label(month),
            "events": found.get(month, {}).get("events", 0),
            "signed_up": found.get(month, {}).get("signed_up", 0),
            "present": found.get(month, {}).get("present", 0),
        }
        for month in _months(filters)
    )
    return Table(
        key="outreach-by-month",
        title=_("Outreach events and their attendees, month by month"),
        columns=(
            Column("month", _("Month")),
            _num("events", _("Events")),
            _num("signed_up", _("Signed up")),
            _num("present", _("Came")),
        ),
        rows=rows,
        chart="bar",
        x="month",
        series=("events", "present"),
        as_of=as_of,
    )
