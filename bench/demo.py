"""Benchmark: `make run` for a newcomer (issue 12, item 6; docs/decisions/0073).

Usage: python bench/demo.py   (HIRFA_VAR_DIR a fresh folder and DATABASE_URL an empty
database, or none for SQLite in that folder: `make bench-demo` gives it both.)

Runs the steps `make run` runs before it serves, each as its own `hirfa` process as the
Makefile does (migrate, static files, territory, crafts, signing key, the demo register
and the daily jobs), then asks for the home page: wall and CPU time of each step, the demo
data's time against its target (< 30 s) and the first page's (< 2 min after install).
Then `load_demo` once more: a second run adds nothing and should take a fraction of the
first.
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = (
    ("migrate", "--noinput"),
    ("collectstatic", "--noinput", "--verbosity", "0"),
    ("load_territory",),
    ("load_crafts",),
    ("create_signing_key", "--if-none"),
    ("load_demo",),
    ("expire_registrations",),
    ("coverage_rules",),
    ("purge_personal_data",),
    ("issue_cards",),
    ("remind_events",),
)
FIRST_PAGE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
django.setup()
from django.test import Client
response = Client(SERVER_NAME="127.0.0.1").get("/")
assert response.status_code == 200, response.status_code
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(*arguments: str, code: str = "") -> tuple[float, float]:
    """Wall and CPU seconds of one `hirfa` process (or of `python -c code`)."""
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "hirfa.manage"]
    env = {**os.environ, "CNSS_SANDBOX": os.environ.get("CNSS_SANDBOX", "true")}
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run([*command, *arguments], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, children_cpu() - cpu


def main() -> None:
    engine = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    total = 0.0
    figures = []
    for step in STEPS:
        wall, cpu = run(*step)
        total += wall
        figures.append((step[0], wall, cpu))
    wall, cpu = run(code=FIRST_PAGE)
    total += wall
    for name, step_wall, step_cpu in figures:
        print(f"[{engine}] make run, {name:22} {step_wall:6.1f} s wall, {step_cpu:6.1f} s CPU")
    demo = next(f for f in figures if f[0] == "load_demo")
    print(
        f"[{engine}] demo data (load_demo): {demo[1]:.1f} s wall, {demo[2]:.1f} s CPU; "
        f"target < 30 s ({'met' if demo[1] < 30 else 'NOT MET'})"
    )
    print(
        f"[{engine}] first page after install: {total:.1f} s (every step above, then the home "
        f"page: {wall:.1f} s); target < 120 s ({'met' if total < 120 else 'NOT MET'})"
    )
    again, again_cpu = run("load_demo")
    print(
        f"[{engine}] load_demo again (nothing to add): {again:.1f} s wall, {again_cpu:.1f} s CPU; "
        f"{again / demo[1]:.2f} of the first run"
    )


if __name__ == "__main__":
    main()
