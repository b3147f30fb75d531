"""A small register with files and keys, and the ways to look at it whole.

These tests restore over the database the test runner created, so they run outside the
test's transaction (`transaction=True`), on SQLite and on PostgreSQL alike.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from hirfa.backups import services
from hirfa.register import services as register
from tests.factories import agent_of, officer_of, submitted_dossier, use_test_signing_key


@pytest.fixture
def small_register(settings, reference_data, tmp_path):
    """Two files, one approved, with their documents (media files); a card signing key,
    the CNSS exchange key and the secret-key file: everything a backup must carry."""
    from hirfa.cnss.keys import signing_key

    settings.CNSS_SIGNING_KEY = ""
    settings.CNSS_SIGNING_KEY_FILE = tmp_path / "cnss" / "keys" / "rna-signing.key"
    use_test_signing_key(settings)
    signing_key()
    (Path(settings.VAR_DIR) / "secret-key").write_text("a-secret-key-for-the-tests-" * 3)
    officer, agent = officer_of("09.581"), agent_of("09")
    register.approve(officer=officer, dossier=submitted_dossier(agent))
    submitted_dossier(agent, cnie="JK654321", first_name_latin="Itto", phone="0612345679")
    call_command("verify_audit", stdout=io.StringIO())  # where the audit keeps checkpoints
    return tmp_path


@pytest.fixture
def archive_path(tmp_path_factory):
    return tmp_path_factory.mktemp("backups") / "hirfa.tar.gz"


def every_row() -> dict[str, list[dict]]:
    """Every row of every table of every installed model, in primary-key order."""
    dump = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            rows = model._base_manager.order_by("pk").values()
            dump[model._meta.label] = [
                {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}
                for row in rows
            ]
    return dump


def every_file(settings) -> dict[str, bytes]:
    """Media files and key files, by path, with their bytes."""
    files = {}
    roots = {"media": Path(settings.MEDIA_ROOT), **services.key_locations()}
    for name, root in roots.items():
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            files[f"{name}:{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return files


def wipe(settings) -> None:
    """The disaster: an empty database, no media, no keys."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    for location in services.key_locations().values():
        if location.is_dir():
            shutil.rmtree(location)
        else:
            location.unlink(missing_ok=True)
