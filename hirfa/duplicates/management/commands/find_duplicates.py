"""`hirfa find_duplicates`: clusters of likely duplicates across the whole register."""

import sys
import time

from django.core.management.base import BaseCommand

from hirfa.duplicates.clusters import find_clusters


class Command(BaseCommand):
    help = "Find clusters of likely duplicate persons (blocking, never all pairs)."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(stage, done):
            sys.stderr.write(f"\r{stage}: {done} persons")
            sys.stderr.flush()

        found = find_clusters(progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(
            f"{found['persons']} persons: {found['pairs']} likely duplicate pairs "
            f"({found['new_pairs']} new) in {found['clusters']} clusters of "
            f"{found['persons_in_clusters']} persons, in {time.monotonic() - started:.1f} s; "
            f"{found['rescored']} open candidates scored again"
        )
