"""One setting, PUBLIC_URL, gives the address printed on documents; `make run` sets it to
the address it serves."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SHOW = "show-public-url: ; @echo $$PUBLIC_URL\n"


def recipe_environment(*arguments: str) -> str:
    """PUBLIC_URL as the Makefile's recipes (those of `make run`) see it."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-", *arguments,
         "show-public-url"],
        input=SHOW, capture_output=True, text=True, cwd=ROOT, check=True,
        env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return done.stdout.strip()


pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make")


def test_make_run_prints_the_address_it_serves_on_documents():
    assert recipe_environment() == "http://127.0.0.1:8000"


def test_another_port_moves_the_address_printed_on_documents():
    assert recipe_environment("PORT=8123") == "http://127.0.0.1:8123"


def test_a_public_url_given_wins_over_the_served_address():
    assert recipe_environment("PUBLIC_URL=https://rna.example.ma") == "https://rna.example.ma"


def test_serve_defaults_the_public_url_to_its_own_address():
    script = (ROOT / "scripts" / "serve").read_text()
    assert 'export PUBLIC_URL="${PUBLIC_URL:-http://$HOST:$PORT}"' in script
