import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from hirfa.accounts.demo import (
    DEMO_NOTICE,
    DEMO_SECOND_FACTOR_NOTICE,
    DEMO_TOTP_SECRET,
    demo_second_factor_accounts,
    ensure_demo_accounts,
)
from hirfa.campaigns.demo import load_demo_campaigns
from hirfa.cards.demo import load_demo_cards
from hirfa.coverage.demo import load_demo_coverage
from hirfa.env import env_str
from hirfa.outreach.demo import load_demo_outreach
from hirfa.register.demo import load_demo_register


class Command(BaseCommand):
    help = "Create or refresh the demo register (idempotent). For demonstrations only."

    def add_arguments(self, parser):
        parser.add_argument("--artisans", type=int, default=300, help="Demo artisans to file.")

    def handle(self, *args, **options):
        password = env_str("DEMO_PASSWORD", "hirfa-demo")
        timings = []
        started = time.perf_counter()

        def timed(label, step):
            begin = time.perf_counter()
            result = step()
            timings.append(f"{label} {time.perf_counter() - begin:.1f} s")
            return result

        def accounts_step():
            with transaction.atomic():
                return ensure_demo_accounts(password)

        accounts = timed("accounts", accounts_step)
        register = timed("register", lambda: load_demo_register(count=options["artisans"]))
        timed("cards", load_demo_cards)
        timed("coverage", load_demo_coverage)
        timed("outreach", load_demo_outreach)
        timed("campaigns", load_demo_campaigns)
        self.stdout.write(
            _("Demo register: %(created)d artisans added, %(total)d in all.") % register
        )
        # The steps are named after their apps (developers read these figures).
        self.stdout.write(
            _("Demo loaded in %(seconds).1f s (%(steps)s).")
            % {"seconds": time.perf_counter() - started, "steps": ", ".join(timings)}
        )
        self.stdout.write(str(DEMO_NOTICE) % {"password": password})
        for username, role in accounts:
            self.stdout.write(f"  {username:<20} {role}")
        if second_factor_accounts := demo_second_factor_accounts():
            self.stdout.write(
                str(DEMO_SECOND_FACTOR_NOTICE)
                % {
                    "accounts": ", ".join(second_factor_accounts),
                    "key": DEMO_TOTP_SECRET,
                    "command": f"oathtool --totp -b {DEMO_TOTP_SECRET}",
                }
            )
        self.stdout.write(
            _("Open %(address)s and log in.")
            % {"address": f"http://127.0.0.1:{env_str('PORT', '8000')}/"}
        )
