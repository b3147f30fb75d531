"""Run a management command without the statistics' upkeep (bench/cnss.py --without-statistics):
the same writes, without the counts, to show their part of the time.

Usage: python bench/without_statistics.py COMMAND [ARGUMENTS...]
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from hirfa.stats import receivers  # noqa: E402

if __name__ == "__main__":
    receivers.disconnect()
    call_command(*sys.argv[1:])
