from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.core.errors import DomainError
from hirfa.crafts.services import LEVELS, load_nomenclature


class Command(BaseCommand):
    @property
    def help(self):
        # Translated when asked for: argparse cannot format a lazy string.
        return _(
            "Load the crafts nomenclature from FILE (JSON or CSV; default: the shipped "
            "provisional list). Entries missing from the file are retired, never deleted."
        )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Here --version names the list being loaded; Django's own --version (the
        # framework's) would only shadow it.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=_("JSON or CSV file to load"))
        parser.add_argument(
            "--version",
            dest="list_version",
            metavar="VERSION",
            help=_("Version of the list (required for CSV; overrides JSON)"),
        )
        parser.add_argument(
            "--official",
            action="store_true",
            help=_("The list is the official one, not provisional"),
        )
        parser.add_argument(
            "--source", help=_("Where the list comes from (default for CSV: file name)")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and report the changes without writing"),
        )

    def handle(self, *args, **options):
        try:
            result = load_nomenclature(
                options["file"],
                version=options["list_version"],
                provisional=False if options["official"] else None,
                source=options["source"],
                dry_run=options["dry_run"],
            )
        except DomainError as error:
            details = [m for messages in error.fields.values() for m in messages]
            raise CommandError("\n".join([str(error.message), *details[1:]])) from error

        kind = _("provisional") if result["provisional"] else _("official")
        if not result["changed"]:
            self.stdout.write(
                _("The %(kind)s list version %(version)s is already loaded; nothing changed.")
                % {"kind": kind, "version": result["version"]}
            )
            return
        if result["dry_run"]:
            heading = _("Dry run of the %(kind)s list version %(version)s; nothing written:")
        else:
            heading = _("Loaded the %(kind)s list version %(version)s:")
        self.stdout.write(heading % {"kind": kind, "version": result["version"]})
        labels = {
            "categories": _("categories"),
            "branches": _("branches"),
            "activities": _("activities"),
        }
        for level in LEVELS:
            self.stdout.write(
                _(
                    "  %(level)s: %(created)d created, %(updated)d updated, "
                    "%(reordered)d reordered, %(reactivated)d reactivated, "
                    "%(retired)d retired, %(unchanged)d unchanged"
                )
                % {"level": labels[level], **result[level]}
            )
