"""Writes on the health coverage. Every change goes through here, in a transaction, with an
audit entry naming its source ("cnss:batch:<id>", "agent", "rule:<name>").

The cnss app calls the functions of the CNSS section to apply what the CNSS says
(docs/cnss-exchange.md); a rule violation raises DomainError, which its importer turns
into a rejected line.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.accounts.roles import Capability, Role, has_capability
from hirfa.accounts.selectors import provinces_for, scope_of
from hirfa.audit.models import AuditEntry
from hirfa.audit.services import record
from hirfa.core import validators
from hirfa.core.errors import Conflict, DomainError, Forbidden, NotFound
from hirfa.core.jobs import job
from hirfa.coverage import rules, selectors
from hirfa.coverage.models import (
    ClosingReason,
    ContributionCategory,
    ContributionRate,
    CoverageRules,
    Dependant,
    DependantDocument,
    EligibilityRule,
    Enrolment,
    Payment,
    State,
)
from hirfa.coverage.money import (
    add_months,
    clean_cnss_number,
    format_period,
    month_end,
    parse_amount,
    parse_date,
    parse_period,
    parse_rate,
)
from hirfa.notifications.services import notify
from hirfa.register.documents import check_upload
from hirfa.register.models import NATURAL_PERSON_CATEGORIES, Registration, Sex

CHUNK = 1000
RIGHTS_STATES = {"open": State.RIGHTS_OPEN, "suspended": State.SUSPENDED, "closed": State.CLOSED}


# --- Helpers ------------------------------------------------------------------------------


def _chunks(iterable: Iterable, size: int = CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _audit(
    enrolment_or_obj, *, action, source, actor=None, province_code=None, reason="", data=None
):
    return record(
        actor=actor,
        actor_label=None if actor is not None else source,
        action=action,
        obj=enrolment_or_obj,
        province_code=province_code,
        reason=reason,
        data={"source": source, **(data or {})},
    )


def _enrolment(number, *, create: bool = False) -> Enrolment:
    """The enrolment of the registration `number`, locked; DomainError if unknown."""
    number = str(number or "").strip()
    try:
        # get(), not first(): no ORDER BY on the importer's hottest query.
        return (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("registration__province", "registration__person__user")
            .get(registration__number=number)
        )
    except Enrolment.DoesNotExist:
        pass
    registration = _artisans().filter(number=number).first()
    if registration is None or not create:
        raise _not_enrolled_error(number, registered=registration is not None)
    Enrolment.objects.create(
        registration=registration, state=State.NOT_ENROLLED, state_since=timezone.localdate()
    )
    return _enrolment(number)


def _artisans():
    return Registration.objects.filter(person__isnull=False, category__in=NATURAL_PERSON_CATEGORIES)


def _not_enrolled_error(number: str, *, registered: bool) -> DomainError:
    """Why a number has no enrolment: no such artisan, or one never sent."""
    if not registered:
        return NotFound(
            _("No registered artisan has the number %(number)s.") % {"number": number[:20]},
            code="unknown_artisan",
        )
    return Conflict(
        _("The artisan %(number)s was never sent to the CNSS.") % {"number": number},
        code="never_sent",
    )


def _province(enrolment: Enrolment) -> str:
    return enrolment.registration.province.code


def _move(
    enrolment: Enrolment,
    state: str,
    *,
    on: date,
    source: str,
    actor=None,
    reason="",
    fields=(),
    data=None,
    opening: date | None = None,
) -> Enrolment:
    previous = enrolment.state
    enrolment.state, enrolment.state_since = state, on
    enrolment.save(update_fields=["state", "state_since", "updated_at", *fields])
    _audit(
        enrolment,
        action=f"enrolment.{state}",
        source=source,
        actor=actor,
        province_code=_province(enrolment),
        reason=reason,
        data={"from": previous, "to": state, "on": on, **(data or {})},
    )
    _tell_artisan(enrolment, opening)
    return enrolment


class _Formatted:
    """A lazy translated text with its values, rendered in the recipient's language."""

    def __init__(self, text, values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        return str(self.text) % self.values


MESSAGES = {
    State.NOT_ENROLLED: gettext_lazy(
        "The CNSS could not register you for health insurance. Open your space to see why."
    ),
    State.IMMATRICULATED: gettext_lazy(
        "You are registered with the CNSS under number %(cnss)s. Pay your contributions: "
        "your health insurance opens on %(date)s."
    ),
    State.RIGHTS_OPEN: gettext_lazy("Your health insurance is open from %(date)s."),
    State.SUSPENDED: gettext_lazy(
        "Your health insurance is suspended: contributions are unpaid. Pay them to reopen it."
    ),
    State.CLOSED: gettext_lazy("Your health insurance through the register is closed."),
}


def _tell_artisan(enrolment: Enrolment, opening: date | None = None, *, state=None) -> None:
    state = state or enrolment.state
    text = MESSAGES.get(state)
    person = enrolment.registration.person
    if text is None or person is None:
        return
    day = opening or enrolment.rights_open_on
    notify(
        user=person.user,
        phone=None if person.user_id else person.phone,
        event=f"coverage.{state}",
        subject=gettext_lazy("Health insurance (AMO)"),
        body=_Formatted(
            text,
            {"cnss": enrolment.cnss_number, "date": day.strftime("%d/%m/%Y") if day else "—"},
        ),
    )


# --- Dues and rights ---------------------------------------------------------------------


def statement_of(enrolment: Enrolment, as_of: date | None = None, *, rates=None, payments=None):
    """The enrolment's dues month by month (None before the immatriculation)."""
    if enrolment.dues_from is None:
        return None
    as_of = as_of or timezone.localdate()
    if rates is None:
        rates = list(ContributionRate.objects.filter(category=enrolment.category))
    if payments is None:
        payments = list(enrolment.payments.all())
    until = month_end(enrolment.closed_on) if enrolment.state == State.CLOSED else None
    return rules.statement(
        dues_from=enrolment.dues_from, until=until, rates=rates, payments=payments, as_of=as_of
    )


def expected_opening(enrolment: Enrolment) -> date | None:
    """While immatriculated: the day rights open if the dues are paid on time."""
    if enrolment.state != State.IMMATRICULATED or enrolment.dues_from is None:
        return None
    waiting = CoverageRules.current().waiting_months
    return max(add_months(enrolment.dues_from, waiting), enrolment.immatriculated_on)


@dataclass(frozen=True)
class _Verdict:
    """What the rules say of an enrolment on a day: its arrears, and a change of rights."""

    arrears: Decimal
    unpaid: int
    state: str | None = None
    on: date | None = None
    rule: str = ""

    def changes(self, enrolment: Enrolment) -> bool:
        return self.state is not None or (enrolment.arrears, enrolment.unpaid_months) != (
            self.arrears,
            self.unpaid,
        )


def _assess(enrolment: Enrolment, *, as_of: date, config, rates=None, payments=None) -> _Verdict:
    """Apply the waiting period and the suspension rule, writing nothing.

    A CNSS statement outranks the rules: the rules do not undo it unless new facts came
    after it (a later unpaid month, a later payment) (ADR 0016).
    """
    statement = statement_of(enrolment, as_of, rates=rates, payments=payments)
    verdict = _Verdict(arrears=statement.arrears, unpaid=len(statement.unpaid))
    by_cnss = enrolment.rights_source.startswith("cnss")
    if enrolment.state == State.IMMATRICULATED:
        opens = rules.opening_date(
            immatriculated_on=enrolment.immatriculated_on,
            dues_from=enrolment.dues_from,
            waiting_months=config.waiting_months,
            statement=statement,
        )
        if opens is not None:
            return replace(verdict, state=State.RIGHTS_OPEN, on=opens, rule="rule:waiting-period")
    elif enrolment.state == State.RIGHTS_OPEN:
        suspends = rules.suspension_date(
            statement=statement, after_unpaid=config.suspend_after_unpaid_months
        )
        # A CNSS opening dated after the unpaid months already took them into account.
        if (
            suspends is not None
            and suspends <= as_of
            and not (by_cnss and enrolment.rights_open_on >= suspends)
        ):
            return replace(verdict, state=State.SUSPENDED, on=suspends, rule="rule:unpaid-months")
    elif enrolment.state == State.SUSPENDED and verdict.unpaid == 0:
        paid = [m.last_paid_on for m in statement.months if m.last_paid_on]
        last_paid = max(paid) if paid else None
        # A CNSS suspension dated after the last payment already took it into account.
        if last_paid is not None and not (by_cnss and enrolment.suspended_on >= last_paid):
            reopens = max(enrolment.suspended_on or last_paid, last_paid)
            return replace(verdict, state=State.RIGHTS_OPEN, on=reopens, rule="rule:arrears-paid")
    return verdict


def _evaluate(
    enrolment: Enrolment, *, as_of: date, trigger: str, config=None, rates=None
) -> str | None:
    """Apply the rules to a locked enrolment; the new state if it changed."""
    if enrolment.state not in selectors.KNOWN_TO_CNSS:
        return None
    verdict = _assess(enrolment, as_of=as_of, config=config or CoverageRules.current(), rates=rates)
    if (enrolment.arrears, enrolment.unpaid_months) != (verdict.arrears, verdict.unpaid):
        enrolment.arrears, enrolment.unpaid_months = verdict.arrears, verdict.unpaid
        enrolment.save(update_fields=["arrears", "unpaid_months", "updated_at"])
    if verdict.state is None:
        return None
    return _set_rights(
        enrolment, verdict.state, on=verdict.on, source=verdict.rule, data={"trigger": trigger}
    )


def _set_rights(enrolment, state, *, on: date, source: str, data=None) -> str:
    values = _rights_values(state, on, source, timezone.now())
    del values["state"], values["state_since"]  # _move writes them
    for name, value in values.items():
        setattr(enrolment, name, value)
    _move(enrolment, state, on=on, source=source, fields=list(values), data=data)
    return state


# --- The exchange with the CNSS (called by hirfa.cnss) -----------------------------------
#
# A CNSS batch may hold 500,000 lines, applied in one transaction (ADR 0019). The
# `record_*s` functions apply a chunk of lines set-based (ADR 0027): every line is checked
# by the same rules as the single-record services (which call them with one line), a
# refused line is returned with its DomainError and writes nothing, the accepted ones are
# written with a few statements per chunk, one audit entry per chunk lists them, and one
# background job per chunk tells their artisans after the commit.

BULK_CHUNK = 5000


def _number(value) -> str:
    return str(value or "").strip()


def _distinct_chunks(items: Iterable, size: int = BULK_CHUNK):
    """Chunks of lines, cut before a number comes back: within a chunk each line concerns
    another artisan, so applying the chunk at once equals applying its lines in order."""
    chunk, seen = [], set()
    for item in items:
        if len(chunk) >= size or item[1] in seen:
            yield chunk
            chunk, seen = [], set()
        chunk.append(item)
        seen.add(item[1])
    if chunk:
        yield chunk


def _live(numbers, *columns) -> dict[str, tuple]:
    """The enrolments of `numbers`, locked: {number: (id, province code, *columns)}."""
    rows = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(registration__number__in=numbers)
        .values_list("registration__number", "id", "registration__province__code", *columns)
    )
    return {row[0]: row[1:] for row in rows}


def _missing(numbers) -> dict[str, DomainError]:
    registered = set(_artisans().filter(number__in=numbers).values_list("number", flat=True))
    return {n: _not_enrolled_error(n, registered=n in registered) for n in numbers}


def _update_many(columns: list[str], rows: list[tuple]) -> None:
    """Update enrolments, each row giving the values of `columns`, then the id."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Enrolment._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sets = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", map(_adapted, rows))
            return
        # PostgreSQL: one statement, the rows travel as one array per column (single-row
        # UPDATEs made the 500,000-line import take 88 s there).
        types = [Enrolment._meta.get_field(c).db_type(connection) for c in columns]
        types.append(Enrolment._meta.pk.rel_db_type(connection))
        names = ", ".join(quote(c) for c in [*columns, "id"])
        sets = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) "
            f"WHERE {table}.id = v.id",
            [list(column) for column in zip(*rows, strict=True)],
        )


def _adapted(row: tuple) -> list:
    # Raw SQL gets what the ORM would write: SQLite keeps naive UTC text for datetimes.
    adapt = connection.ops.adapt_datetimefield_value
    return [adapt(value) if isinstance(value, datetime) else value for value in row]


def _audit_chunk(action: str, *, source: str, object_type: str, items: list, single=None, **kw):
    """One entry for the lines of a chunk applied together, listing their facts (as the
    imports app does, ADR 0023); `single` (object id, province code) when it is one line."""
    object_id, province_code = single if single and len(items) == 1 else (None, None)
    return record(
        actor=None,
        actor_label=source,
        action=action,
        object_type=object_type,
        object_id=object_id,
        province_code=province_code,
        reason=kw.pop("reason", ""),
        data={"source": source, "count": len(items), **kw, "items": items},
    )


def _tell_later(entry) -> None:
    """The artisans of an applied chunk hear of it from one job, after the commit."""
    transaction.on_commit(lambda pk=entry.pk: tell_artisans.enqueue(pk), robust=True)


@job
def tell_artisans(entry_id: int) -> int:
    """Notify the artisans listed by one audit entry of a chunk (action "enrolment.<state>").

    One transaction: a retry after a failure sends nothing twice.
    """
    entry = AuditEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        return 0
    state = entry.action.removeprefix("enrolment.")
    numbers = [item[0] for item in entry.data.get("items", [])]
    waiting = CoverageRules.current().waiting_months
    told = 0
    with transaction.atomic():
        enrolments = Enrolment.objects.filter(registration__number__in=numbers).select_related(
            "registration__person__user"
        )
        for enrolment in enrolments.iterator(chunk_size=CHUNK):
            opening = None
            if state == State.IMMATRICULATED and enrolment.dues_from:
                opening = max(add_months(enrolment.dues_from, waiting), enrolment.immatriculated_on)
            _tell_artisan(enrolment, opening, state=state)
            told += 1
    return told


@transaction.atomic
def mark_sent(*, registration_numbers: Iterable[str], batch_id: str, source: str) -> int:
    """Not enrolled → sent (pre-registration), for the artisans of an outbound batch.

    Streams the numbers in chunks (a batch may hold 500,000); one audit entry per
    chunk lists its numbers. Numbers no longer waiting are skipped. Returns how many
    were marked.
    """
    today, now = timezone.localdate(), timezone.now()
    ops = connection.ops
    batch = batch_id[:64]
    table = ops.quote_name(Enrolment._meta.db_table)
    columns = ", ".join(
        ops.quote_name(c)
        for c in (
            "registration_id",
            "state",
            "state_since",
            "sent_on",
            "sent_batch",
            "category",
            "cnss_number",
            "closing_reason",
            "rejection_code",
            "rejection_reason",
            "rights_source",
            "arrears",
            "unpaid_months",
            "created_at",
            "updated_at",
        )
    )
    constants = [
        State.SENT,
        ops.adapt_datefield_value(today),
        ops.adapt_datefield_value(today),
        batch,
        ContributionCategory.RNA,
        "",
        "",
        "",
        "",
        "",
        ops.adapt_decimalfield_value(Decimal("0.00"), 12, 2),
        0,
        ops.adapt_datetimefield_value(now),
        ops.adapt_datetimefield_value(now),
    ]
    marks = ", ".join(["%s"] * len(constants))
    insert = (
        f"INSERT INTO {table} ({columns}) SELECT id, {marks} "
        f"FROM {ops.quote_name(Registration._meta.db_table)}"
    )
    marked = 0
    for chunk in _chunks(registration_numbers, BULK_CHUNK):
        rows = selectors.not_enrolled().filter(number__in=chunk)
        waiting, new, known = {}, [], []
        for pk, number, enrolment_id in rows.values_list("id", "number", "enrolment__id"):
            waiting[pk] = number
            if enrolment_id is None:
                new.append(pk)
            else:
                known.append(enrolment_id)
        if not waiting:
            continue
        if known:
            Enrolment.objects.filter(pk__in=known).update(
                state=State.SENT, state_since=today, sent_on=today, sent_batch=batch, updated_at=now
            )
        # INSERT … SELECT: no model instance per artisan (500,000 cost minutes).
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One array parameter: psycopg parses a statement's placeholders one by one.
                cursor.execute(f"{insert} WHERE id = ANY(%s)", [*constants, new])
            else:
                for start in range(0, len(new), CHUNK):
                    ids = new[start : start + CHUNK]
                    cursor.execute(
                        f"{insert} WHERE id IN ({', '.join(['%s'] * len(ids))})",
                        [*constants, *ids],
                    )
        record(
            actor=None,
            actor_label=source,
            action="enrolment.sent",
            object_type="coverage.enrolment",
            data={"source": source, "batch": batch_id, "numbers": sorted(waiting.values())},
        )
        marked += len(waiting)
    return marked


@transaction.atomic
def mark_dependants_sent(*, dependant_ids: Iterable[int], batch_id: str, source: str) -> int:
    """The dependants of an outbound batch were sent: they go again only if they change."""
    now = timezone.now()
    marked = 0
    for chunk in _chunks(dependant_ids):
        count = (
            selectors.dependants_to_send()
            .filter(id__in=chunk)
            .update(sent_at=now, sent_batch=batch_id[:64])
        )
        if count:
            record(
                actor=None,
                actor_label=source,
                action="dependant.sent",
                object_type="coverage.dependant",
                data={"source": source, "batch": batch_id, "ids": sorted(chunk)},
            )
        marked += count
    return marked


def _immatriculation_changes(state: str, current: str, cnss_number: str, *, taken: bool) -> bool:
    """The rule of an immatriculation: True to apply it, False when it changes nothing."""
    if current:
        if current != cnss_number:
            raise Conflict(
                _("This artisan already has another CNSS number (%(number)s).")
                % {"number": current},
                code="other_cnss_number",
            )
        if state != State.CLOSED:
            return False
    if state not in (State.SENT, State.NOT_ENROLLED):
        raise Conflict(_("This enrolment is closed."), code="closed")
    if taken:
        raise Conflict(
            _("The CNSS number %(number)s is already given to another artisan.")
            % {"number": cnss_number},
            code="cnss_number_taken",
        )
    return True


def _holders(cnss_numbers) -> dict[str, int]:
    """The live enrolments holding these CNSS numbers. The query restates the condition
    of the partial unique index `one_live_cnss_number`, so that it is an index lookup."""
    return dict(
        Enrolment.objects.filter(cnss_number__in=cnss_numbers)
        .exclude(cnss_number="")
        .exclude(state=State.CLOSED)
        .values_list("cnss_number", "id")
    )


@transaction.atomic
def record_immatriculations(*, items: Iterable[tuple], source: str) -> dict[int, DomainError]:
    """Sent → immatriculated for many lines: items are (line, number, cnss_number, on).

    The rules of `record_immatriculation` for each line; returns the refused lines with
    their DomainError; the others are applied (the same values again change nothing).
    """
    refused: dict[int, DomainError] = {}
    waiting = CoverageRules.current().waiting_months
    for chunk in _distinct_chunks(items):
        lines = []
        for line, number, cnss_number, on in chunk:
            try:
                cnss_number = clean_cnss_number(cnss_number)
                lines.append((line, _number(number), cnss_number, parse_date(on, field="on")))
            except DomainError as error:
                refused[line] = error
        live = _live([n for _, n, _, _ in lines], "state", "cnss_number")
        missing = _missing({n for _, n, _, _ in lines if n not in live})
        holders = _holders({c for _, _, c, _ in lines})
        applied = []
        for line, number, cnss_number, on in lines:
            try:
                if number in missing:
                    raise missing[number]
                pk, province, state, current = live[number]
                holder = holders.get(cnss_number)
                taken = holder is not None and holder != pk
                if _immatriculation_changes(state, current, cnss_number, taken=taken):
                    holders[cnss_number] = pk
                    applied.append((pk, province, number, cnss_number, on))
            except DomainError as error:
                refused[line] = error
        if not applied:
            continue
        now = timezone.now()
        _update_many(
            ["state", "state_since", "cnss_number", "immatriculated_on", "dues_from", "updated_at"],
            [
                (State.IMMATRICULATED, on, c, on, on.replace(day=1), now, pk)
                for pk, _p, _n, c, on in applied
            ],
        )
        entry = _audit_chunk(
            f"enrolment.{State.IMMATRICULATED}",
            source=source,
            object_type="coverage.enrolment",
            items=[[n, c, on] for _pk, _p, n, c, on in applied],
            single=applied[0][:2],
        )
        _tell_later(entry)
        # No payment can precede the immatriculation: only a zero waiting period opens now.
        if waiting == 0:
            for pk, _p, _n, _c, on in applied:
                _evaluate(_enrolment_by_pk(pk), as_of=max(timezone.localdate(), on), trigger=source)
    return refused


@transaction.atomic
def record_immatriculation(*, number: str, cnss_number: str, on, source: str) -> Enrolment:
    """Sent → immatriculated, with the CNSS number; dues run from that month.

    The same values again change nothing; another CNSS number for the same artisan, or
    a number already given to someone else, is refused.
    """
    refused = record_immatriculations(items=[(0, number, cnss_number, on)], source=source)
    if refused:
        raise refused[0]
    return _enrolment(number)


def _rejection_changes(state: str, current_code: str, code: str) -> bool:
    """The rule of a rejection: True to apply it, False when it changes nothing."""
    if state == State.NOT_ENROLLED and current_code == code:
        return False
    if state != State.SENT:
        raise Conflict(
            _("Only an artisan sent to the CNSS can be rejected; this one is “%(state)s”.")
            % {"state": State(state).label},
            code="not_sent",
        )
    return True


@transaction.atomic
def record_rejections(*, items: Iterable[tuple], source: str) -> dict[int, DomainError]:
    """Sent → not enrolled for many lines: items are (line, number, code, reason).

    The rules of `record_rejection` for each line; returns the refused lines.
    """
    refused: dict[int, DomainError] = {}
    for chunk in _distinct_chunks(items):
        lines = [
            (
                line,
                _number(number),
                str(code or "").strip()[:40],
                " ".join(str(reason or "").split())[:300],
            )
            for line, number, code, reason in chunk
        ]
        live = _live([n for _, n, _, _ in lines], "state", "rejection_code")
        missing = _missing({n for _, n, _, _ in lines if n not in live})
        applied = []
        for line, number, code, reason in lines:
            try:
                if number in missing:
                    raise missing[number]
                pk, province, state, current = live[number]
                if _rejection_changes(state, current, code):
                    applied.append((pk, province, number, code, reason))
            except DomainError as error:
                refused[line] = error
        if not applied:
            continue
        now, today = timezone.now(), timezone.localdate()
        _update_many(
            [
                "state",
                "state_since",
                "rejection_code",
                "rejection_reason",
                "rejected_at",
                "updated_at",
            ],
            [(State.NOT_ENROLLED, today, c, r, now, now, pk) for pk, _p, _n, c, r in applied],
        )
        entry = _audit_chunk(
            f"enrolment.{State.NOT_ENROLLED}",
            source=source,
            object_type="coverage.enrolment",
            items=[[n, c, r] for _pk, _p, n, c, r in applied],
            single=applied[0][:2],
            reason=applied[0][4] if len(applied) == 1 else "",
        )
        _tell_later(entry)
    return refused


@transaction.atomic
def record_rejection(*, number: str, code: str, reason: str, source: str) -> Enrolment:
    """Sent → not enrolled, keeping the CNSS's code and reason for the artisan and agents.

    It is sent again once the person's data is corrected (or an agent asks for it).
    """
    refused = record_rejections(items=[(0, number, code, reason)], source=source)
    if refused:
        raise refused[0]
    return _enrolment(number)


def _rights_values(state: str, on: date, source: str, now) -> dict:
    """What a change of rights writes on the enrolment (by the rules or by the CNSS)."""
    values = {
        "state": state,
        "state_since": on,
        "rights_source": source[:80],
        "rights_stated_at": now,
    }
    if state == State.RIGHTS_OPEN:
        values["rights_open_on"] = on
    elif state == State.SUSPENDED:
        values["suspended_on"] = on
    return values


def _set_rights_many(changes: list[tuple], *, trigger: str | None = None) -> None:
    """Apply rights changes (pk, province, number, from, state, on, source), grouped by
    state and source: one UPDATE, one audit entry and one notification job per group."""
    groups: dict[tuple[str, str], list[tuple]] = {}
    for change in changes:
        groups.setdefault((change[4], change[6]), []).append(change)
    now = timezone.now()
    for (state, source), group in groups.items():
        columns = list(_rights_values(state, group[0][5], source, now))
        _update_many(
            [*columns, "updated_at"],
            [
                (*_rights_values(state, on, source, now).values(), now, pk)
                for pk, *_x, on, _s in group
            ],
        )
        extra = {"trigger": trigger} if trigger else {}
        entry = _audit_chunk(
            f"enrolment.{state}",
            source=source,
            object_type="coverage.enrolment",
            items=[[n, previous, on] for _pk, _p, n, previous, _st, on, _s in group],
            single=group[0][:2],
            **extra,
        )
        _tell_later(entry)


def _insert_payments(rows: list[tuple]) -> None:
    ops = connection.ops
    table = ops.quote_name(Payment._meta.db_table)
    names = ("enrolment_id", "period", "amount", "paid_on", "reference", "source", "created_at")
    columns = ", ".join(ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join([f"({', '.join(['%s'] * len(names))})"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",
                [value for row in chunk for value in _adapted(row)],
            )


def _clean_payment(period, amount, paid_on, reference) -> tuple:
    period = parse_period(period)
    amount = parse_amount(amount)
    paid_on = parse_date(paid_on, field="paid_on")
    reference = str(reference or "").strip()
    if not reference or len(reference) > 64:
        raise DomainError(
            _("A payment needs a reference of at most 64 characters."), code="invalid_reference"
        )
    return period, amount, paid_on, reference


def _payment_changes(known, *, enrolment_id, dues_from, period, amount, paid_on, reference) -> bool:
    """The rule of a payment: True to record it, False when it is already recorded.
    `known` is (enrolment id, period, amount, paid on) of the payment with this reference."""
    if known is not None:
        if known == (enrolment_id, period, amount, paid_on):
            return False
        raise Conflict(
            _("The payment reference %(reference)s was already used for another payment.")
            % {"reference": reference},
            code="reference_reused",
        )
    if dues_from is None:
        raise Conflict(_("This artisan is not immatriculated at the CNSS."), code="not_insured")
    if period < dues_from:
        raise DomainError(
            _("No contribution is due for %(period)s: dues start in %(start)s.")
            % {"period": format_period(period), "start": format_period(dues_from)},
            code="before_dues",
        )
    return True


class _Paid(NamedTuple):
    period: date
    amount: Decimal
    paid_on: date


def _evaluate_many(enrolment_ids, *, as_of: date, trigger: str) -> None:
    """`_evaluate` for many enrolments: arrears written in one statement, rights changes
    grouped (the rules themselves are `_assess`'s)."""
    config = CoverageRules.current()
    rates: dict[str, list] = {}
    for rate in ContributionRate.objects.all():
        rates.setdefault(rate.category, []).append(rate)
    payments: dict[int, list] = {}
    for pk, *paid in Payment.objects.filter(enrolment_id__in=enrolment_ids).values_list(
        "enrolment_id", "period", "amount", "paid_on"
    ):
        payments.setdefault(pk, []).append(_Paid(*paid))
    arrears, changes = [], []
    enrolments = Enrolment.objects.filter(
        pk__in=enrolment_ids, state__in=selectors.KNOWN_TO_CNSS
    ).select_related("registration__province")
    for enrolment in enrolments:
        verdict = _assess(
            enrolment,
            as_of=as_of,
            config=config,
            rates=rates.get(enrolment.category, []),
            payments=payments.get(enrolment.pk, []),
        )
        if (enrolment.arrears, enrolment.unpaid_months) != (verdict.arrears, verdict.unpaid):
            arrears.append((verdict.arrears, verdict.unpaid, timezone.now(), enrolment.pk))
        if verdict.state is not None:
            changes.append(
                (
                    enrolment.pk,
                    enrolment.registration.province.code,
                    enrolment.registration.number,
                    enrolment.state,
                    verdict.state,
                    verdict.on,
                    verdict.rule,
                )
            )
    _update_many(["arrears", "unpaid_months", "updated_at"], arrears)
    _set_rights_many(changes, trigger=trigger)


@transaction.atomic
def record_payments(*, items: Iterable[tuple], source: str) -> dict[int, DomainError]:
    """Payments for many lines: items are (line, number, period, amount, paid_on, reference).

    The rules of `record_payment` for each line; returns the refused lines. Arrears and
    rights are recomputed once per chunk for the artisans who paid.
    """
    refused: dict[int, DomainError] = {}
    for chunk in _distinct_chunks(items):
        lines = []
        for line, number, period, amount, paid_on, reference in chunk:
            try:
                lines.append(
                    (line, _number(number), *_clean_payment(period, amount, paid_on, reference))
                )
            except DomainError as error:
                refused[line] = error
        live = _live([item[1] for item in lines], "dues_from")
        missing = _missing({item[1] for item in lines if item[1] not in live})
        known = {
            row[0]: row[1:]
            for row in Payment.objects.filter(
                reference__in=[item[5] for item in lines]
            ).values_list("reference", "enrolment_id", "period", "amount", "paid_on")
        }
        rows, facts, paid = [], [], {}
        now = timezone.now()
        for line, number, period, amount, paid_on, reference in lines:
            try:
                if number in missing:
                    raise missing[number]
                pk, province, dues_from = live[number]
                if _payment_changes(
                    known.get(reference),
                    enrolment_id=pk,
                    dues_from=dues_from,
                    period=period,
                    amount=amount,
                    paid_on=paid_on,
                    reference=reference,
                ):
                    known[reference] = (pk, period, amount, paid_on)
                    rows.append((pk, period, amount, paid_on, reference, source[:80], now))
                    facts.append([number, format_period(period), amount, paid_on, reference])
                    paid[pk] = province
            except DomainError as error:
                refused[line] = error
        if not rows:
            continue
        _insert_payments(rows)
        single = None
        if len(rows) == 1:
            single = (Payment.objects.get(reference=rows[0][4]).pk, next(iter(paid.values())))
        _audit_chunk(
            "payment.recorded",
            source=source,
            object_type="coverage.payment",
            items=facts,
            single=single,
        )
        _evaluate_many(list(paid), as_of=timezone.localdate(), trigger=source)
    return refused


@transaction.atomic
def record_payment(
    *, number: str, period: str, amount, paid_on, reference: str, source: str
) -> Payment:
    """A contribution paid for a month ("YYYY-MM"), idempotent on `reference`.

    The amount must be a positive Decimal or text with exactly two decimals. Arrears
    and rights are recomputed (the waiting period may end, a suspension may lift).
    """
    refused = record_payments(
        items=[(0, number, period, amount, paid_on, reference)], source=source
    )
    if refused:
        raise refused[0]
    return Payment.objects.get(reference=str(reference).strip())


def _rights_statement(state: str, current: str, current_on: date | None, on: date) -> str | None:
    """The rule of a CNSS rights statement: "close", "move", "date" (the same state, the
    CNSS's date), or None when it changes nothing."""
    if current not in selectors.KNOWN_TO_CNSS and current != State.CLOSED:
        raise Conflict(_("This artisan is not immatriculated at the CNSS."), code="not_insured")
    if state == State.CLOSED:
        return None if current == State.CLOSED else "close"
    if current == State.CLOSED:
        raise Conflict(_("This enrolment is closed."), code="closed")
    if current == state:
        return None if current_on == on else "date"
    return "move"


@transaction.atomic
def record_rights_statements(*, items: Iterable[tuple], source: str) -> dict[int, DomainError]:
    """CNSS rights statements for many lines: items are (line, number, status, on).

    The rules of `record_rights` for each line; returns the refused lines.
    """
    refused: dict[int, DomainError] = {}
    for chunk in _distinct_chunks(items):
        lines = []
        for line, number, status, on in chunk:
            try:
                if status not in RIGHTS_STATES:
                    raise DomainError(
                        _("Unknown rights status “%(status)s”.") % {"status": str(status)[:20]},
                        code="invalid_status",
                    )
                lines.append(
                    (line, _number(number), RIGHTS_STATES[status], parse_date(on, field="on"))
                )
            except DomainError as error:
                refused[line] = error
        live = _live([n for _, n, _, _ in lines], "state", "rights_open_on", "suspended_on")
        missing = _missing({n for _, n, _, _ in lines if n not in live})
        moves, dated, closes = [], [], []
        for line, number, state, on in lines:
            try:
                if number in missing:
                    raise missing[number]
                pk, province, current, open_on, suspended_on = live[number]
                current_on = open_on if state == State.RIGHTS_OPEN else suspended_on
                action = _rights_statement(state, current, current_on, on)
                if action == "move":
                    moves.append((pk, province, number, current, state, on, source))
                elif action == "date":
                    dated.append((pk, province, number, state, on))
                elif action == "close":
                    closes.append((pk, on))
            except DomainError as error:
                refused[line] = error
        # Closing ends the dependants too: rare enough to go one by one.
        for pk, on in closes:
            _close(_enrolment_by_pk(pk), ClosingReason.CNSS, on=on, source=source)
        _set_rights_many(moves)
        now = timezone.now()
        for state in (State.RIGHTS_OPEN, State.SUSPENDED):
            group = [d for d in dated if d[3] == state]
            if not group:
                continue
            # The CNSS's date wins over the one the rules computed.
            date_field = "rights_open_on" if state == State.RIGHTS_OPEN else "suspended_on"
            _update_many(
                [date_field, "rights_source", "rights_stated_at", "updated_at"],
                [(on, source[:80], now, now, pk) for pk, _p, _n, _s, on in group],
            )
            _audit_chunk(
                "enrolment.rights_dated",
                source=source,
                object_type="coverage.enrolment",
                items=[[n, s, on] for _pk, _p, n, s, on in group],
                single=group[0][:2],
            )
    return refused


@transaction.atomic
def record_rights(*, number: str, status: str, on, source: str) -> Enrolment:
    """What the CNSS states about the rights: "open", "suspended" or "closed" from `on`.

    It outranks the local rules. The same statement again changes nothing.
    """
    refused = record_rights_statements(items=[(0, number, status, on)], source=source)
    if refused:
        raise refused[0]
    return _enrolment(number)


def _close(enrolment, reason: str, *, on: date, source: str, actor=None, note="") -> Enrolment:
    enrolment.closing_reason, enrolment.closed_on = reason, on
    _move(
        enrolment,
        State.CLOSED,
        on=on,
        source=source,
        actor=actor,
        reason=note or reason,
        fields=["closing_reason", "closed_on"],
        data={"reason": reason},
    )
    # Dependants are covered through the insured only.
    Dependant.objects.filter(
        registration_id=enrolment.registration_id,
        state__in=[Dependant.State.DECLARED, Dependant.State.CONFIRMED, Dependant.State.ACCEPTED],
    ).update(state=Dependant.State.ENDED, eligible_until=on, changed_at=timezone.now())
    return enrolment


def registration_struck_off(registration: Registration, actor, reason: str) -> None:
    """Called by the register inside the transaction that strikes the artisan off: the
    AMO enrolment closes with it (the daily pass only catches what this missed)."""
    pk = (
        Enrolment.objects.filter(registration=registration)
        .exclude(state=State.CLOSED)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return
    _close(
        _enrolment_by_pk(pk),
        ClosingReason.STRUCK_OFF,
        on=timezone.localdate(),
        source="register:struck-off",
        actor=actor,
        note=reason,
    )


@transaction.atomic
def record_dependant_decision(
    *, dependant_id: int, accepted: bool, reason: str, source: str
) -> Dependant:
    """The CNSS accepted or refused a dependant we sent. The same answer again changes nothing."""
    dependant = (
        Dependant.objects.select_for_update(of=("self",))
        .select_related("registration__province")
        .filter(pk=dependant_id if isinstance(dependant_id, int) else -1)
        .first()
    )
    if dependant is None:
        raise NotFound(_("Unknown dependant."), code="unknown_dependant")
    if dependant.sent_at is None:
        raise Conflict(_("This dependant was never sent to the CNSS."), code="never_sent")
    target = Dependant.State.ACCEPTED if accepted else Dependant.State.REFUSED
    if dependant.state in (target, Dependant.State.ENDED):
        return dependant
    reason = " ".join(str(reason or "").split())[:300]
    previous = dependant.state
    dependant.state, dependant.decision_reason = target, reason
    dependant.save(update_fields=["state", "decision_reason"])
    _audit(
        dependant,
        action=f"dependant.{target}",
        source=source,
        reason=reason,
        province_code=dependant.registration.province.code,
        data={"from": previous, "to": target},
    )
    return dependant


# --- Daily rules --------------------------------------------------------------------------


def apply_rules(today: date | None = None) -> dict:
    """The daily pass: close the enrolments of struck-off artisans, open rights after the
    waiting period, suspend after N unpaid months, end dependants past eligibility.

    Each enrolment is handled in its own transaction, so one failure does not hold back
    the rest and locks stay short; running it twice the same day changes nothing more.
    """
    today = today or timezone.localdate()
    counts = {"closed": 0, "opened": 0, "suspended": 0, "reopened": 0, "dependants_ended": 0}
    struck = Enrolment.objects.filter(registration__status=Registration.Status.STRUCK_OFF).exclude(
        state=State.CLOSED
    )
    for pk in list(struck.values_list("pk", flat=True)):
        with transaction.atomic():
            enrolment = _enrolment_by_pk(pk)
            if enrolment.state != State.CLOSED:
                _close(enrolment, ClosingReason.STRUCK_OFF, on=today, source="rule:struck-off")
                counts["closed"] += 1
    config = CoverageRules.current()
    rates: dict[str, list] = {}
    for rate in ContributionRate.objects.all():
        rates.setdefault(rate.category, []).append(rate)
    live = Enrolment.objects.filter(state__in=selectors.KNOWN_TO_CNSS).order_by("pk")
    for chunk in _chunks(live.values_list("pk", flat=True).iterator(chunk_size=CHUNK)):
        # Judged without locks first: most enrolments need nothing, and only those that
        # do are locked and judged again in their own short transaction.
        for enrolment in Enrolment.objects.filter(pk__in=chunk).prefetch_related("payments"):
            category_rates = rates.get(enrolment.category, [])
            verdict = _assess(
                enrolment,
                as_of=today,
                config=config,
                rates=category_rates,
                payments=list(enrolment.payments.all()),
            )
            if not verdict.changes(enrolment):
                continue
            with transaction.atomic():
                enrolment = _enrolment_by_pk(enrolment.pk)
                before = enrolment.state
                changed = _evaluate(
                    enrolment,
                    as_of=today,
                    trigger="rule:daily",
                    config=config,
                    rates=category_rates,
                )
                if changed == State.SUSPENDED:
                    counts["suspended"] += 1
                elif changed == State.RIGHTS_OPEN:
                    counts["opened" if before == State.IMMATRICULATED else "reopened"] += 1
    counts["dependants_ended"] = _end_dependants(today)
    return counts


def _enrolment_by_pk(pk) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("registration__province", "registration__person__user")
        .get(pk=pk)
    )


def _end_dependants(today: date) -> int:
    eligibility_rules = list(EligibilityRule.objects.all())
    ended = 0
    due = Dependant.objects.filter(
        state__in=[Dependant.State.DECLARED, Dependant.State.CONFIRMED, Dependant.State.ACCEPTED],
        eligible_until__lt=today,
    )
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            dependant = (
                Dependant.objects.select_for_update(of=("self",))
                .select_related("registration__province")
                .get(pk=pk)
            )
            result = _eligibility(dependant, today, eligibility_rules)
            previous = dependant.eligible_until
            if result.eligible:
                dependant.eligible_until = result.until
            else:
                dependant.state = Dependant.State.ENDED
                ended += 1
            dependant.changed_at = timezone.now()
            dependant.save(update_fields=["state", "eligible_until", "changed_at"])
            _audit(
                dependant,
                action="dependant.ended" if not result.eligible else "dependant.extended",
                source="rule:eligibility",
                province_code=dependant.registration.province.code,
                data={"until": previous, "new_until": dependant.eligible_until},
            )
    return ended


# --- Dependants -----------------------------------------------------------------------------


def _eligibility(dependant, on: date, eligibility_rules=None) -> rules.Eligibility:
    return rules.eligibility(
        eligibility_rules if eligibility_rules is not None else EligibilityRule.objects.all(),
        relation=dependant.relation,
        born=dependant.birth_date,
        student=dependant.student,
        married=dependant.married,
        disabled=dependant.disabled,
        on=on,
    )


def _may_act_for(actor, registration: Registration) -> bool:
    person = registration.person
    if person is not None and person.user_id and person.user_id == actor.pk:
        return True
    return (
        has_capability(actor, Capability.FILE_ASSISTED)
        and provinces_for(actor).filter(pk=registration.province_id).exists()
    )


def _flag(value) -> bool:
    return value in (True, "true", "on", "1", 1, "yes")


def clean_dependant(data: dict, *, today: date) -> dict:
    """A spouse or child's data validated, every problem listed at once."""
    errors: dict[str, list[str]] = {}

    def check(name, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            errors.setdefault(name, []).extend(str(m) for m in error.messages)
        except DomainError as error:
            errors.setdefault(name, []).append(str(error.message))
        return None

    clean = {
        "relation": data.get("relation"),
        "sex": data.get("sex"),
        "student": _flag(data.get("student")),
        "married": _flag(data.get("married")),
        "disabled": _flag(data.get("disabled")),
        "cnie": "",
    }
    if clean["relation"] not in Dependant.Relation.values:
        errors["relation"] = [_("Choose one of the proposed values.")]
    if clean["sex"] not in Sex.values:
        errors["sex"] = [_("Choose one of the proposed values.")]
    for field, script in [
        ("first_name_ar", "arabic"),
        ("last_name_ar", "arabic"),
        ("first_name_latin", "latin"),
        ("last_name_latin", "latin"),
    ]:
        clean[field] = check(field, validators.clean_person_name, data.get(field), script)
    born = check("birth_date", parse_date, data.get("birth_date"), field="birth_date")
    if born is not None:
        check("birth_date", validators.validate_birth_date, born, today=today, minimum_age=0)
    clean["birth_date"] = born
    if data.get("cnie"):
        clean["cnie"] = check("cnie", validators.normalise_cnie, data.get("cnie"))
    if errors:
        raise DomainError(_("Some information is missing or not valid."), fields=errors)
    return clean


def _over_age_error(clean: dict) -> DomainError:
    if clean["relation"] == Dependant.Relation.CHILD:
        message = _(
            "This child is over the age limit: children are covered up to 21 years, or up to "
            "26 when unmarried and in higher education."
        )
    else:
        message = _("This person cannot be covered as a dependant under the current rules.")
    return DomainError(message, fields={"birth_date": [message]}, code="over_age")


@transaction.atomic
def declare_dependant(*, actor, registration: Registration, data: dict) -> Dependant:
    """The artisan (in their space) or an agent declares a spouse or a child.

    Refused with a clear message when the rules in force do not cover them today.
    """
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person", "province")
        .get(pk=registration.pk)
    )
    if not _may_act_for(actor, registration):
        raise Forbidden()
    if registration.person is None or registration.status == Registration.Status.STRUCK_OFF:
        raise Conflict(_("Dependants are declared for a registered artisan only."))
    enrolment = selectors.enrolment_of(registration)
    if enrolment is not None and enrolment.state == State.CLOSED:
        raise Conflict(_("This health insurance is closed."), code="closed")
    today = timezone.localdate()
    clean = clean_dependant(data, today=today)
    if clean["cnie"] and clean["cnie"] == registration.person.cnie:
        raise DomainError(
            _("The artisan cannot be their own dependant."),
            fields={"cnie": [_("This is the artisan's own CNIE.")]},
        )
    result = rules.eligibility(
        EligibilityRule.objects.all(),
        relation=clean["relation"],
        born=clean["birth_date"],
        student=clean["student"],
        married=clean["married"],
        disabled=clean["disabled"],
        on=today,
    )
    if not result.eligible:
        raise _over_age_error(clean)
    same = Dependant.objects.filter(
        registration=registration,
        relation=clean["relation"],
        birth_date=clean["birth_date"],
        first_name_latin__iexact=clean["first_name_latin"],
    ).exclude(state__in=[Dependant.State.ENDED, Dependant.State.REFUSED])
    if same.exists():
        raise Conflict(_("This person is already declared."), code="duplicate")
    dependant = Dependant.objects.create(
        registration=registration, declared_by=actor, eligible_until=result.until, **clean
    )
    record(
        actor=actor,
        action="dependant.declared",
        obj=dependant,
        province_code=registration.province.code,
        data={
            "source": "artisan" if actor.role == Role.ARTISAN else "agent",
            "relation": dependant.relation,
            "registration": registration.number,
        },
    )
    return dependant


def required_documents(dependant: Dependant) -> list[str]:
    """The document kinds the rule covering this dependant asks for."""
    result = _eligibility(dependant, timezone.localdate())
    return list(result.rule.documents) if result.rule is not None else []


def missing_documents(dependant: Dependant) -> list[str]:
    attached = set(dependant.documents.values_list("kind", flat=True))
    return [kind for kind in required_documents(dependant) if kind not in attached]


def _locked_dependant(dependant: Dependant) -> Dependant:
    return (
        Dependant.objects.select_for_update(of=("self",))
        .select_related("registration__province", "registration__person")
        .get(pk=dependant.pk)
    )


@transaction.atomic
def attach_dependant_document(
    *, actor, dependant: Dependant, kind: str, uploaded
) -> DependantDocument:
    dependant = _locked_dependant(dependant)
    if not _may_act_for(actor, dependant.registration):
        raise Forbidden()
    if dependant.state != Dependant.State.DECLARED:
        raise Conflict(_("This dependant was already checked."))
    if kind not in DependantDocument.Kind.values:
        raise DomainError(
            _("This kind of document is not asked for this file."),
            fields={"kind": [_("Choose one of the proposed values.")]},
        )
    checked = check_upload(uploaded)
    document = DependantDocument.objects.create(
        dependant=dependant, kind=kind, **checked.stored_fields(uploaded, actor)
    )
    record(
        actor=actor,
        action="dependant.document_attached",
        obj=dependant,
        province_code=dependant.registration.province.code,
        data={"kind": kind, "sha256": checked.sha256, "size": checked.size},
    )
    return document


def _require_agent(agent, dependant: Dependant) -> None:
    if (
        not has_capability(agent, Capability.FILE_ASSISTED)
        or not provinces_for(agent).filter(pk=dependant.registration.province_id).exists()
    ):
        raise Forbidden()


@transaction.atomic
def confirm_dependant(*, agent, dependant: Dependant) -> Dependant:
    """An agent checked the documents: the dependant goes to the CNSS with the next batch."""
    dependant = _locked_dependant(dependant)
    _require_agent(agent, dependant)
    if dependant.state != Dependant.State.DECLARED:
        raise Conflict(_("This dependant was already checked."))
    result = _eligibility(dependant, timezone.localdate())
    if not result.eligible:
        raise _over_age_error({"relation": dependant.relation})
    missing = [
        k
        for k in result.rule.documents
        if k not in set(dependant.documents.values_list("kind", flat=True))
    ]
    if missing:
        names = [
            str(DependantDocument.Kind(k).label)
            for k in missing
            if k in DependantDocument.Kind.values
        ]
        raise DomainError(
            _("Attach the missing documents first: %(names)s.") % {"names": ", ".join(names)},
            fields={"documents": names},
        )
    dependant.state, dependant.eligible_until = Dependant.State.CONFIRMED, result.until
    dependant.confirmed_by, dependant.confirmed_at = agent, timezone.now()
    dependant.changed_at = dependant.confirmed_at
    dependant.save()
    record(
        actor=agent,
        action="dependant.confirmed",
        obj=dependant,
        province_code=dependant.registration.province.code,
        data={"source": "agent", "rule": result.rule.code, "until": result.until},
    )
    return dependant


@transaction.atomic
def refuse_dependant(*, agent, dependant: Dependant, reason: str) -> Dependant:
    dependant = _locked_dependant(dependant)
    _require_agent(agent, dependant)
    reason = " ".join(str(reason or "").split())[:300]
    if not reason:
        raise DomainError(_("Give the reason."), fields={"reason": [_("This field is required.")]})
    if dependant.state != Dependant.State.DECLARED:
        raise Conflict(_("This dependant was already checked."))
    dependant.state, dependant.decision_reason = Dependant.State.REFUSED, reason
    dependant.save(update_fields=["state", "decision_reason"])
    record(
        actor=agent,
        action="dependant.refused",
        obj=dependant,
        reason=reason,
        province_code=dependant.registration.province.code,
        data={"source": "agent"},
    )
    return dependant


# --- Enrolment by an agent ------------------------------------------------------------------


@transaction.atomic
def close_enrolment(
    *, agent, registration: Registration, reason: str, on=None, note: str = ""
) -> Enrolment:
    """An agent closes the coverage through the register: death, or another scheme."""
    if not _may_act_for(agent, registration) or agent.role == Role.ARTISAN:
        raise Forbidden()
    if reason not in (ClosingReason.DEATH, ClosingReason.OTHER_SCHEME):
        raise DomainError(
            _("Choose the reason of the closing."),
            fields={"reason": [_("Choose one of the proposed values.")]},
        )
    on = parse_date(on or timezone.localdate(), field="on")
    enrolment = _enrolment(registration.number, create=True)
    if enrolment.state == State.CLOSED:
        raise Conflict(_("This enrolment is closed."), code="closed")
    return _close(enrolment, reason, on=on, source="agent", actor=agent, note=note)


@transaction.atomic
def send_again(*, agent, registration: Registration) -> Enrolment:
    """After a CNSS rejection, an agent who checked the file puts it back in the queue."""
    if not _may_act_for(agent, registration) or agent.role == Role.ARTISAN:
        raise Forbidden()
    enrolment = _enrolment(registration.number)
    if enrolment.state != State.NOT_ENROLLED or enrolment.rejected_at is None:
        raise Conflict(_("This artisan is not waiting after a rejection."))
    enrolment.rejected_at = None
    enrolment.save(update_fields=["rejected_at", "updated_at"])
    _audit(
        enrolment,
        action="enrolment.requeued",
        source="agent",
        actor=agent,
        province_code=_province(enrolment),
        data={"code": enrolment.rejection_code},
    )
    return enrolment


# --- The contribution schedule --------------------------------------------------------------


def may_edit_schedule(user) -> bool:
    """National administrators only."""
    return has_capability(user, Capability.MANAGE_NOMENCLATURE) and scope_of(user).national


def _clean_rate_row(row: dict, *, first_allowed: date) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {}
    for field, parser in [
        ("category", None),
        ("starts_on", parse_period),
        ("basis", parse_amount),
        ("rate", parse_rate),
        ("monthly_amount", parse_amount),
    ]:
        value = row.get(field)
        if parser is None:
            if value not in ContributionCategory.values:
                errors[field] = [_("Choose one of the proposed values.")]
            clean[field] = value
            continue
        try:
            clean[field] = parser(value, field=field)
        except DomainError as error:
            errors[field] = [str(m) for ms in error.fields.values() for m in ms]
    if "starts_on" in clean and clean["starts_on"] < first_allowed:
        errors["starts_on"] = [
            _(
                "A change takes effect from the current month or later: past months are "
                "never rewritten."
            )
        ]
    clean["source"] = " ".join(str(row.get("source") or "").split())[:300]
    if errors:
        raise DomainError(_("Some information is missing or not valid."), fields=errors)
    return clean


@transaction.atomic
def add_rates(*, actor, rows: list[dict]) -> list[ContributionRate]:
    """New rows of the contribution schedule, each in force from its month on.

    The row in force before is ended the month before; a row that would overlap another
    (a later row already planned, or two rows of the list for the same month) is
    refused. Any refusal refuses the whole list: the error lists every line.
    """
    if not may_edit_schedule(actor):
        raise Forbidden()
    first_allowed = timezone.localdate().replace(day=1)
    errors: dict[str, list[str]] = {}
    cleaned: list[dict] = []
    seen: set[tuple[str, date]] = set()
    for line, row in enumerate(rows, start=1):
        try:
            clean = _clean_rate_row(
                row if isinstance(row, dict) else {}, first_allowed=first_allowed
            )
        except DomainError as error:
            errors[f"line {line}"] = [f"{f}: {m}" for f, ms in error.fields.items() for m in ms]
            continue
        key = (clean["category"], clean["starts_on"])
        later = (
            ContributionRate.objects.filter(
                category=clean["category"], starts_on__gte=clean["starts_on"]
            ).exists()
            or ContributionRate.objects.filter(
                category=clean["category"], ends_on__gte=clean["starts_on"]
            ).exists()
        )
        if (
            key in seen
            or later
            or any(c == clean["category"] and s > clean["starts_on"] for c, s in seen)
        ):
            errors[f"line {line}"] = [
                _("This row overlaps another row of the schedule for the same category.")
            ]
        seen.add(key)
        cleaned.append(clean)
    if errors:
        raise DomainError(
            _("The schedule was not changed: some lines are refused."),
            fields=errors,
            code="schedule_refused",
        )
    created = []
    for clean in sorted(cleaned, key=lambda c: (c["category"], c["starts_on"])):
        current = (
            ContributionRate.objects.select_for_update()
            .filter(category=clean["category"], ends_on__isnull=True)
            .first()
        )
        if current is not None:
            current.ends_on = month_end(add_months(clean["starts_on"], -1))
            current.save(update_fields=["ends_on"])
        try:
            with transaction.atomic():
                rate = ContributionRate.objects.create(created_by=actor, **clean)
        except IntegrityError:
            raise Conflict(
                _("This row overlaps another row of the schedule for the same category.")
            ) from None
        record(
            actor=actor,
            action="contribution_rate.added",
            obj=rate,
            data={
                "category": rate.category,
                "starts_on": rate.starts_on,
                "basis": rate.basis,
                "rate": rate.rate,
                "amount": rate.monthly_amount,
                "previous_ends_on": current.ends_on if current else None,
            },
        )
        created.append(rate)
    return created


def monthly_amount(category: str, month: date) -> Decimal | None:
    rate = selectors.rate_for(category, month)
    return rate.monthly_amount if rate else None
