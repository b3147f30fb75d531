import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hirfa.audit import services
from hirfa.audit.management.commands.verify_audit import Command
from hirfa.audit.selectors import ALTERED, BROKEN_LINK, FORGED, verify_chain
from tests.audit.helpers import drop_append_only_triggers, raw_delete, raw_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """Five entries about one dossier, oldest first."""
    return [
        services.record(
            actor=None,
            action=f"dossier.step-{n}",
            object_type="register.dossier",
            object_id="D-1",
            province_code="09.581",
            data={"step": n},
        )
        for n in range(5)
    ]


@pytest.fixture
def exit_code(monkeypatch):
    """Run `hirfa verify_audit` as from the shell; return its exit status."""
    # The command closes every connection when it ends, the test's own included;
    # system checks (other apps' URLs) are not what these tests are about.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    def run():
        try:
            Command().run_from_argv(["hirfa", "verify_audit", "--skip-checks"])
        except SystemExit as exit:
            return exit.code
        return 0

    return run


def test_an_empty_trail_is_intact():
    assert verify_chain() == (True, 0, None, "")


def test_an_untouched_chain_is_intact(chain):
    ok, checked, first_broken, problem = verify_chain()
    assert (ok, checked, first_broken, problem) == (True, 5, None, "")


def test_the_chain_is_checked_the_same_in_small_batches(chain):
    assert verify_chain(batch_size=2).ok


def test_an_entry_altered_in_the_database_is_reported(chain):
    drop_append_only_triggers()
    raw_update(chain[2].pk, "data", '{"step": 99}')
    ok, checked, first_broken, problem = verify_chain()
    assert not ok
    assert first_broken.pk == chain[2].pk
    assert checked == 3
    assert problem.startswith(ALTERED)


def test_an_entry_rewritten_with_a_fresh_hash_is_not_authentic(chain):
    drop_append_only_triggers()
    raw_update(chain[2].pk, "reason", "quietly rewritten")
    forged = type(chain[2]).objects.get(pk=chain[2].pk)
    raw_update(chain[2].pk, "hash", forged.compute_hash())
    report = verify_chain()
    assert report.first_broken.pk == chain[2].pk
    assert report.problem.startswith(FORGED)


def test_an_entry_deleted_from_the_middle_breaks_the_link_of_the_next_one(chain):
    drop_append_only_triggers()
    raw_delete(chain[2].pk)
    report = verify_chain()
    assert not report.ok
    assert report.first_broken.pk == chain[3].pk
    assert report.problem.startswith(BROKEN_LINK)
    assert f"#{chain[1].pk}" in report.problem


def test_deleting_the_first_entries_is_reported_at_the_new_first_one(chain):
    drop_append_only_triggers()
    raw_delete(chain[0].pk)
    report = verify_chain()
    assert report.first_broken.pk == chain[1].pk
    assert "start of the chain" in report.problem


def test_only_the_first_broken_link_is_reported(chain):
    drop_append_only_triggers()
    raw_update(chain[1].pk, "reason", "first")
    raw_update(chain[3].pk, "reason", "second")
    assert verify_chain().first_broken.pk == chain[1].pk


def test_the_command_says_how_many_entries_an_intact_chain_has(chain, capsys):
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "5 entries checked, chain intact" in out
    assert chain[-1].hash in out


def test_the_command_exits_zero_when_the_chain_is_intact(chain, exit_code):
    assert exit_code() == 0


def test_the_command_names_the_first_broken_entry(chain):
    drop_append_only_triggers()
    raw_delete(chain[2].pk)
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    message = str(error.value)
    assert f"entry #{chain[3].pk}" in message
    assert "dossier.step-3" in message
    assert BROKEN_LINK in message


def test_the_command_exits_non_zero_when_the_chain_is_broken(chain, exit_code, capsys):
    drop_append_only_triggers()
    raw_update(chain[0].pk, "action", "dossier.forged")
    assert exit_code() != 0
    assert f"entry #{chain[0].pk}" in capsys.readouterr().err
