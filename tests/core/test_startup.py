"""A hirfa process starts without the libraries that draw PDFs, write workbooks or read
scanned files: the code that draws, writes or reads imports them when it runs
(docs/decisions/0090). Judged on what a fresh process has imported, never on its time."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# fpdf brings fontTools and uharfbuzz; openpyxl writes and reads workbooks; pypdfium2 reads
# the PDF files sent to the card reader.
AT_USE_ONLY = ("fpdf", "fontTools", "uharfbuzz", "openpyxl", "pypdfium2")

PROGRAM = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
import django
django.setup()
from django.core.management import call_command
call_command(sys.argv[1], verbosity=0)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[2:]))))
"""


def imported_by(command: str) -> list[str]:
    """Which of AT_USE_ONLY a new process has imported once `command` has run."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, command, *AT_USE_ONLY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_a_management_command_loads_no_pdf_workbook_or_reader_library():
    # `check` sets Django up, runs every app's ready() and loads the whole URLconf (the
    # views and the JSON API): what the first request of a server worker loads too.
    assert imported_by("check") == []
