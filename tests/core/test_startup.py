"""A hirfa process starts without what it does not use (docs/decisions/0090): the libraries
that draw PDFs, write workbooks or read scanned files are imported by the code that draws,
writes or reads; the JSON API by the first request to /api/v1/. Judged on what a fresh
process has imported, never on its time."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# fpdf brings fontTools and uharfbuzz; openpyxl writes and reads workbooks; pypdfium2 reads
# the PDF files sent to the card reader.
AT_USE_ONLY = ("fpdf", "fontTools", "uharfbuzz", "openpyxl", "pypdfium2")

SET_UP = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
import django
django.setup()
from django.urls import resolve, reverse
"""
SAY = "print(json.dumps(sorted(set(sys.modules) & {names!r})))\n"


def imported(after: str, names) -> list[str]:
    """Which of the modules `names` a new process has imported once it has set
    Django up and run `after`."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    program = SET_UP + after + "\n" + SAY.format(names=set(names))
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_a_management_command_loads_no_pdf_workbook_or_reader_library():
    # `check` runs every app's ready() and loads the whole URLconf, the JSON API included.
    after = "from django.core.management import call_command\ncall_command('check', verbosity=0)"
    assert imported(after, AT_USE_ONLY) == []


def test_a_page_is_resolved_and_linked_without_building_the_api():
    after = "assert resolve('/').url_name == 'home'\nassert reverse('accounts:login')"
    assert imported(after, ["hirfa.api", *AT_USE_ONLY]) == []


def test_the_api_is_built_by_its_first_path_or_name():
    after = (
        "assert reverse('accounts:login')\n"
        "assert reverse('api:openapi-json') == '/api/v1/openapi.json'\n"
        "assert resolve('/api/v1/openapi.json').url_name == 'openapi-json'"
    )
    assert imported(after, ["hirfa.api"]) == ["hirfa.api"]


def test_the_api_operations_share_one_response_model_per_response_type():
    from hirfa.api import api
    from hirfa.core.api_errors import ErrorOut

    models = [
        model
        for router in api._get_bound_routers()
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        for model in operation.response_models.values()
        if model is not None
    ]
    errors = {id(m) for m in models if m.__annotations__["response"] is ErrorOut}
    assert len(errors) == 1
    assert len({id(m) for m in models}) == len({m.__annotations__["response"] for m in models})
