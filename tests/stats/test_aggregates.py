"""The counts kept with each change agree exactly with a rebuild from the register: each
change notes what it touched, a fold counts it (docs/decisions/0068)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hirfa.register import services
from hirfa.register.bulk import REGISTRATION_COLUMNS, insert_rows
from hirfa.register.models import Registration
from hirfa.stats import ledger
from hirfa.stats.measures import age_band
from hirfa.stats.models import KEY_FIELDS, Contribution, Count, Pending
from tests.factories import agent_of, officer_of, submitted_dossier

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    ledger.fold()
    return {
        tuple(row[:-1]): row[-1] for row in Count.objects.exclude(n=0).values_list(*KEY_FIELDS, "n")
    }


def registrations_count(**filters) -> int:
    ledger.fold()
    return sum(Count.objects.filter(measure="registrations", **filters).values_list("n", flat=True))


def test_an_approval_counts_one_registration_and_one_decision():
    officer = officer_of("09.581")
    dossier = submitted_dossier(agent_of("09"))
    services.approve(officer=officer, dossier=dossier)
    assert registrations_count(state="active", sex="F") == 1
    assert Count.objects.get(measure="decisions").state == "approved"


def test_a_suspension_moves_the_registration_from_active_to_suspended():
    officer = officer_of("09.581")
    registration = services.approve(
        officer=officer, dossier=submitted_dossier(agent_of("09"))
    ).registration
    services.suspend(
        officer=officer,
        registration=registration,
        reason="Enquête en cours",
        until=date(2099, 1, 1),
    )
    assert registrations_count(state="active") == 0
    assert registrations_count(state="suspended") == 1


def test_a_change_rolled_back_leaves_the_counts_as_they_were():
    from django.db import transaction

    dossier = submitted_dossier(agent_of("09"))
    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.approve(officer=officer_of("09.581"), dossier=dossier)
        raise RuntimeError
    assert snapshot() == before


def test_the_rebuild_command_recomputes_the_counts_from_the_register():
    services.approve(officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09")))
    kept = snapshot()
    Count.objects.all().delete()
    Contribution.objects.all().delete()
    call_command("rebuild_statistics", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == kept


def test_the_rebuild_writes_the_counts_in_the_order_of_their_keys():
    """A page reads one measure over a few months: the rebuild writes those rows side by
    side (by measure, then month), not in the order the register's rows come."""
    officer = officer_of("09.581")
    agent = agent_of("09")
    for index, cnie in enumerate(("AB111111", "AB222222")):
        dossier = submitted_dossier(agent, cnie=cnie, phone=f"061111111{index}")
        services.approve(officer=officer, dossier=dossier)
    # The newer registration registered months before the older one: read in the register's
    # order, its counts would come after those of a later month.
    newest = Registration.objects.latest("id")
    Registration.objects.filter(pk=newest.pk).update(registered_on=date(2026, 3, 2))
    ledger.rebuild()
    written = list(Count.objects.order_by("id").values_list("measure", "month"))
    assert ("reg:place", date(2026, 3, 1)) in written
    assert written == sorted(written)


def test_a_bulk_insert_with_ids_is_counted_in_its_transaction():
    registration = services.approve(
        officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09"))
    ).registration
    services.strike_off(officer=officer_of("09.581"), registration=registration, reason="Décès")
    row = [
        getattr(registration, c.removesuffix("_id") + "_id" if c.endswith("_id") else c)
        for c in REGISTRATION_COLUMNS
    ]
    row[0] = "1999999999"
    row[REGISTRATION_COLUMNS.index("status")] = "active"
    insert_rows("register_registration", ["id", *REGISTRATION_COLUMNS], [(999_999, *row)])
    assert registrations_count(state="active") == 1
    kept = snapshot()
    ledger.rebuild()
    assert snapshot() == kept


def test_a_bulk_insert_without_ids_marks_the_counts_stale():
    assert ledger.freshness().stale_since is None
    registration = services.approve(
        officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09"))
    ).registration
    services.strike_off(officer=officer_of("09.581"), registration=registration, reason="Décès")
    row = [getattr(registration, c) for c in REGISTRATION_COLUMNS]
    row[0] = "1999999998"
    insert_rows("register_registration", REGISTRATION_COLUMNS, [tuple(row)])
    assert ledger.freshness().stale_since is not None
    ledger.rebuild()
    assert ledger.freshness().stale_since is None


def test_the_age_band_is_the_age_on_the_day_of_registration():
    assert age_band(date(2000, 6, 2), date(2025, 6, 1)) == "u25"
    assert age_band(date(2000, 6, 1), date(2025, 6, 1)) == "25-34"
    assert age_band(date(1950, 1, 1), date(2025, 6, 1)) == "65+"
    assert age_band(None, date(2025, 6, 1)) == ""


ACTIONS = st.lists(
    st.sampled_from(
        [
            "approve",
            "reject",
            "suspend",
            "reinstate",
            "strike",
            "sex",
            "withdraw",
            # The AMO enrolment of the last registration and its dependants.
            "amo_send",
            "amo_immatriculate",
            "amo_open",
            "amo_suspend",
            "amo_close",
            "dependant",
        ]
    ),
    min_size=1,
    max_size=8,
)


def amo_step(action: str, registration, index: int, agent) -> None:
    """One step of the AMO enrolment of `registration`, through the coverage services; one
    the rules refuse (not sent yet, closed) changes nothing."""
    from hirfa.core.errors import DomainError
    from hirfa.coverage import services as coverage
    from tests.coverage.helpers import SOURCE, child

    on = date(2025, 1 + index % 12, 10)
    number = registration.number
    try:
        if action == "amo_send":
            coverage.mark_sent(registration_numbers=[number], batch_id=f"H{index}", source=SOURCE)
        elif action == "amo_immatriculate":
            coverage.record_immatriculation(
                number=number, cnss_number=f"{100000 + registration.pk:09d}", on=on, source=SOURCE
            )
        elif action in ("amo_open", "amo_suspend", "amo_close"):
            status = {"amo_open": "open", "amo_suspend": "suspended", "amo_close": "closed"}
            coverage.record_rights(number=number, status=status[action], on=on, source=SOURCE)
        else:
            coverage.declare_dependant(
                actor=agent,
                registration=registration,
                data=child(birth_date=f"2015-{1 + index % 12:02d}-02"),
            )
    except DomainError:
        pass


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(actions=ACTIONS)
@example(
    actions=[
        "approve",
        "amo_send",
        "amo_immatriculate",
        "dependant",
        "amo_open",
        "amo_suspend",
        "amo_open",
        "strike",
    ]
)
def test_incremental_counts_always_equal_a_rebuild(actions):
    from django.db import transaction

    with transaction.atomic():
        agent, officer = agent_of("09"), officer_of("09.581")
        registrations = []
        for index, action in enumerate(actions):
            cnie = f"ZZ{index:06d}"
            if action in ("approve", "reject", "withdraw"):
                dossier = submitted_dossier(agent, cnie=cnie, phone=f"06{index:08d}")
                if action == "approve":
                    registrations.append(
                        services.approve(officer=officer, dossier=dossier).registration
                    )
                elif action == "reject":
                    services.start_review(officer=officer, dossier=dossier)
                    dossier.refresh_from_db()
                    services.reject(officer=officer, dossier=dossier, reason="incomplete")
                else:
                    services.withdraw(actor=agent, dossier=dossier)
                continue
            if not registrations:
                continue
            registration = Registration.objects.get(pk=registrations[-1].pk)
            if action.startswith("amo_") or action == "dependant":
                amo_step(action, registration, index, agent)
            elif action == "suspend" and registration.status == "active":
                services.suspend(
                    officer=officer,
                    registration=registration,
                    reason="Contrôle",
                    until=date(2099, 1, 1),
                )
            elif action == "reinstate" and registration.status == "suspended":
                services.reinstate(officer=officer, registration=registration, reason="Levée")
            elif action == "strike" and registration.status != "struck_off":
                services.strike_off(officer=officer, registration=registration, reason="Décès")
            elif action == "sex" and registration.person_id:
                person = registration.person
                person.sex = "M" if person.sex == "F" else "F"
                person.save()
        kept = snapshot()
        ledger.rebuild()
        assert snapshot() == kept
        transaction.set_rollback(True)


def test_the_rebuild_job_recounts_what_a_bulk_write_left_stale():
    from hirfa.stats import jobs

    services.approve(officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09")))
    kept = snapshot()
    Count.objects.all().delete()
    assert ledger.mark_stale() is True
    assert ledger.mark_stale() is False  # one rebuild queued, not one per chunk
    jobs.rebuild_counts.call()
    assert ledger.freshness().stale_since is None
    assert snapshot() == kept


def test_a_large_bulk_insert_is_counted_like_a_rebuild_counts_it():
    registration = services.approve(
        officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09"))
    ).registration
    row = [getattr(registration, c) for c in REGISTRATION_COLUMNS]
    rows = []
    for index in range(120):  # struck off: one person may have many such registrations
        copy = list(row)
        copy[0] = f"19{index:08d}"
        copy[REGISTRATION_COLUMNS.index("status")] = "struck_off"
        rows.append((900_000 + index, *copy))
    insert_rows("register_registration", ["id", *REGISTRATION_COLUMNS], rows)
    assert registrations_count(state="struck_off") == 120
    kept = snapshot()
    ledger.rebuild()
    assert snapshot() == kept


def test_a_change_notes_what_it_touched_and_the_fold_counts_it():
    services.approve(officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09")))
    assert not Count.objects.filter(measure="registrations").exists()
    assert set(Pending.objects.values_list("source", flat=True)) == {"registration", "dossier"}
    notes = Pending.objects.count()
    assert ledger.fold() == notes
    assert not Pending.objects.exists()
    assert Count.objects.get(measure="registrations").n == 1


def test_folding_an_object_again_counts_it_once():
    registration = services.approve(
        officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09"))
    ).registration
    ledger.fold()
    ledger.note("registration", [registration.pk, registration.pk])
    ledger.fold()
    assert registrations_count(state="active") == 1


def test_a_page_read_folds_the_changes_noted_since_the_last_fold():
    from hirfa.stats import selectors

    services.approve(officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09")))
    _when, stale = selectors.as_of()
    assert stale is False
    assert not Pending.objects.exists()
    assert Count.objects.get(measure="registrations").n == 1


def test_beyond_what_a_page_read_folds_the_figures_are_as_of_the_oldest_change_not_counted(
    monkeypatch,
):
    from hirfa.stats import selectors

    monkeypatch.setattr(ledger, "CATCH_UP", 1)
    services.approve(officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09")))
    left = Pending.objects.order_by("id")[1]
    when, stale = selectors.as_of()
    assert (when, stale) == (left.at, False)
    assert Pending.objects.order_by("id").first() == left


def test_the_fold_job_counts_every_change_noted():
    from hirfa.stats import jobs

    services.approve(officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09")))
    notes = Pending.objects.count()
    assert jobs.fold_counts.call() == {"folded": notes}
    assert not Pending.objects.exists()


def test_a_change_queues_one_fold_job_after_it_commits(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from hirfa.stats import jobs

    jobs.FOLDS.reopen()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09")))
    queued = DBTaskResult.objects.filter(task_path__endswith="fold_counts")
    assert queued.count() == 1


def test_a_merge_counts_the_registrations_it_moved_again(agent, officer):
    from hirfa.duplicates import services as duplicates
    from hirfa.duplicates.models import Candidate
    from tests.factories import approved_dossier

    approved_dossier(agent=agent, officer=officer)
    second = approved_dossier(agent=agent, officer=officer, cnie="ZZ998877", phone="0699887766")
    ledger.fold()
    duplicates.confirm(
        reviewer=officer_of("09.581", username="reviewer"), candidate_id=Candidate.objects.get().pk
    )
    noted = Pending.objects.filter(source="registration").values_list("object_ids", flat=True)
    assert any(str(second.registration_id) in ids.split(",") for ids in noted)
    kept = snapshot()
    ledger.rebuild()
    assert snapshot() == kept


def test_an_activity_moved_to_another_branch_moves_its_registrations_counts():
    from hirfa.core.signals import rows_written
    from hirfa.crafts.models import Activity, Branch

    registration = services.approve(
        officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09"))
    ).registration
    activity = registration.principal_activity
    other = Branch.objects.exclude(pk=activity.branch_id).first()
    Activity.objects.filter(pk=activity.pk).update(branch=other)
    rows_written.send(sender=Activity, where={"id__in": [activity.pk]})  # as crafts sends it
    assert registrations_count(branch_id=other.pk) == 1
    kept = snapshot()
    ledger.rebuild()
    assert snapshot() == kept


def test_the_amo_steps_counted_as_an_enrolment_changes_equal_a_rebuild():
    from hirfa.coverage import services as coverage
    from hirfa.stats.filters import shift
    from tests.coverage.helpers import SOURCE, immatriculated

    this_month = timezone.localdate().replace(day=1)
    tiznit = services.approve(
        officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09"))
    ).registration
    immatriculated(tiznit, on=shift(this_month, -3))
    coverage.record_rights(
        number=tiznit.number, status="open", on=shift(this_month, -1), source=SOURCE
    )
    coverage.record_rights(number=tiznit.number, status="suspended", on=this_month, source=SOURCE)
    kept = snapshot()
    steps = {
        k[10]: v for k, v in kept.items() if k[0] == "amo_steps" and k[3] == tiznit.province_id
    }
    assert steps == {"sent": 1, "immatriculated": 1, "rights_open": 1, "suspended": 1}
    ledger.rebuild()
    assert snapshot() == kept
