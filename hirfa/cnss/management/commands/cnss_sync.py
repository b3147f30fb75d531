import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.translation import gettext as _

from hirfa.cnss import services
from hirfa.cnss.connector import TransportError


class Command(BaseCommand):
    help = (
        "Exchange with the CNSS through the configured transport: send new batches, "
        "import the answers. With --loop, again every N seconds (the demo's loop)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, metavar="SECONDS")

    def handle(self, *args, loop=0, **options):
        while True:
            try:
                result = services.synchronise()
            except TransportError as error:
                self.stderr.write(_("The CNSS could not be reached: %(error)s") % {"error": error})
            else:
                if any(result.values()) or not loop:
                    self.stdout.write(
                        _(
                            "CNSS exchange: sent %(exported)s; imported %(imported)s; "
                            "refused %(refused)s"
                        )
                        % {key: ", ".join(value) or "-" for key, value in result.items()}
                    )
            if not loop:
                return
            close_old_connections()
            time.sleep(loop)
