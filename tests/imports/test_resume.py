"""An import killed half-way (kill -9) resumes: nobody twice, nobody lost."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hirfa.imports import services
from hirfa.imports.models import ImportedRow, ImportIssue, ImportRun
from hirfa.register.models import Person, Registration
from tests.helpers import database_url
from tests.imports.helpers import activity_codes, row, write_csv

ROOT = Path(__file__).resolve().parents[2]
ROWS = 6_000


def _committed_rows() -> int:
    run = ImportRun.objects.first()
    return run.last_row if run else 0


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_resumes_without_duplicates_or_losses(reference_data, tmp_path):
    codes = activity_codes()
    rows = [row(i, codes) for i in range(ROWS)]
    rows[10]["CIN"] = "bad"  # a rejected row in the first chunk
    path = write_csv(tmp_path / "big.csv", rows)
    command = [str(Path(sys.executable).with_name("hirfa")), "import_artisans", str(path)]
    process = subprocess.Popen(
        [*command, "--chunk-size", "100", "--no-progress"],
        cwd=ROOT,
        env={"DATABASE_URL": database_url(), "PATH": "/usr/bin:/bin"},
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while _committed_rows() < 1_000 and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = _committed_rows()
    assert 1_000 <= killed_at < ROWS
    assert Person.objects.count() == ImportedRow.objects.count() == killed_at - 1

    run = services.import_file(path, chunk_size=500)

    assert run.status == ImportRun.Status.DONE
    assert run.last_row == ROWS
    assert (run.imported, run.rejected, run.skipped) == (ROWS - 1, 1, 0)
    assert Person.objects.count() == Registration.objects.count() == ROWS - 1
    imported = set(ImportedRow.objects.values_list("row", flat=True))
    assert imported | {11} == set(range(1, ROWS + 1))
    assert list(ImportIssue.objects.values_list("row", flat=True)) == [11]
