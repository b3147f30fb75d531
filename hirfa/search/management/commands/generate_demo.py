import time

from django.core.management.base import BaseCommand, CommandError

from hirfa.search.generator import generate


class Command(BaseCommand):
    help = "Add N synthetic registered artisans (realistic names, places, crafts) for demos."

    def add_arguments(self, parser):
        parser.add_argument("--artisans", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, artisans, seed, **options):
        if artisans < 1:
            raise CommandError("--artisans must be at least 1")
        started = time.perf_counter()

        def progress(done):
            if options["verbosity"] > 1 or done == artisans:
                self.stdout.write(f"{done} / {artisans}")

        try:
            made = generate(artisans, seed=seed, progress=progress)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{made['artisans']} artisans generated in {time.perf_counter() - started:.1f} s "
            f"(numbers {made['first_number']} to {made['last_number']})"
        )
