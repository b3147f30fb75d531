"""Approvals running at the same time never hand out the same number."""

import subprocess
import sys
from pathlib import Path

import pytest

from hirfa.register.models import Dossier, Registration
from tests.factories import agent_of, officer_of, submitted_dossier
from tests.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
PER_WORKER = 10

APPROVE_SCRIPT = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
import django
django.setup()
from hirfa.accounts.models import User
from hirfa.register import services
from hirfa.register.models import Dossier
officer = User.objects.get(username=sys.argv[1])
for pk in sys.argv[2:]:
    services.approve(officer=officer, dossier=Dossier.objects.get(pk=int(pk)))
"""


def _approve_in_parallel_processes(officer, batches):
    env = {"DATABASE_URL": database_url(), "PATH": "/usr/bin:/bin"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", APPROVE_SCRIPT, officer.username, *map(str, batch)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for batch in batches
    ]
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors.decode()[-2000:]


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_never_give_the_same_number_twice(reference_data):
    agent, officer = agent_of("09"), officer_of("09.581", username="parallel.officer")
    ids = [
        submitted_dossier(agent, cnie=f"PA{i:06d}", phone=f"0700{i:06d}").pk
        for i in range(WORKERS * PER_WORKER)
    ]
    batches = [ids[i::WORKERS] for i in range(WORKERS)]
    _approve_in_parallel_processes(officer, batches)
    numbers = list(Registration.objects.values_list("number", flat=True))
    assert len(numbers) == WORKERS * PER_WORKER
    assert len(set(numbers)) == len(numbers)
    assert Dossier.objects.filter(state="approved").count() == len(numbers)
