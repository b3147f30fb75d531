"""What the CNSS answers about enrolments and dependants, applied (called by hirfa.cnss)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import Conflict, DomainError, NotFound
from hirfa.core.signals import rows_written
from hirfa.coverage import selectors
from hirfa.coverage.models import (
    ClosingReason,
    ContributionCategory,
    CoverageRules,
    Dependant,
    Enrolment,
    State,
)
from hirfa.coverage.money import clean_cnss_number, parse_date
from hirfa.coverage.services._helpers import (
    CHUNK,
    _audit,
    _chunks,
    _close,
    _enrolment,
    _enrolment_by_pk,
)
from hirfa.coverage.services.bulk import (
    BULK_CHUNK,
    _audit_chunk,
    _distinct_chunks,
    _live,
    _missing,
    _number,
    _set_rights_many,
    _tell_later,
    _update_many,
)
from hirfa.coverage.services.enrolments import _evaluate
from hirfa.register.models import Registration

# --- The exchange with the CNSS (called by hirfa.cnss) -----------------------------------
#
# A CNSS batch may hold 500,000 lines, applied in one transaction (ADR 0019). The
# `record_*s` functions apply a chunk of lines set-based (ADR 0027): every line is checked
# by the same rules as the single-record services (which call them with one line), a
# refused line is returned with its DomainError and writes nothing, the accepted ones are
# written with a few statements per chunk, one audit entry per chunk lists them, and one
# background job per chunk tells their artisans after the commit. The bulk helpers are in
# `bulk`, the payments in `payments`.

RIGHTS_STATES = {"open": State.RIGHTS_OPEN, "suspended": State.SUSPENDED, "closed": State.CLOSED}


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
        rows = selectors.not_enrolled().filter(number__in_many=set(chunk))
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
            rows_written.send(sender=Enrolment, where={"id__in": known})
        # INSERT … SELECT: no model instance per artisan (500,000 cost minutes). RETURNING
        # the new ids: the statistics are told them without reading them back.
        created = []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One array parameter: psycopg parses a statement's placeholders one by one.
                cursor.execute(f"{insert} WHERE id = ANY(%s) RETURNING id", [*constants, new])
                created += [row[0] for row in cursor.fetchall()]
            else:
                for start in range(0, len(new), CHUNK):
                    ids = new[start : start + CHUNK]
                    cursor.execute(
                        f"{insert} WHERE id IN ({', '.join(['%s'] * len(ids))}) RETURNING id",
                        [*constants, *ids],
                    )
                    created += [row[0] for row in cursor.fetchall()]
        if created:
            rows_written.send(sender=Enrolment, where={"id__in": created})
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
        Enrolment.objects.filter(cnss_number__in_many=set(cnss_numbers))
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
