"""`hirfa import_artisans FILE`: import a chamber's legacy list (docs/import.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hirfa.accounts.models import User
from hirfa.imports import services
from hirfa.imports.columns import FileProblem


class Command(BaseCommand):
    help = "Import artisans from a CSV or XLSX list; rerun the same command to resume."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="username of the staff member importing (their territory applies)"
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the error report",
        )
        parser.add_argument(
            "--report", type=Path, help="where to write the error report (FILE.errors.csv)"
        )
        parser.add_argument("--chunk-size", type=int, default=services.CHUNK_SIZE)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: Path, user, language, report, chunk_size, no_progress, **kw):
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {user!r}")
        progress = None if no_progress else services.Progress(self.stderr._out)
        try:
            run = services.import_file(
                file, actor=actor, language=language, chunk_size=chunk_size, progress=progress
            )
        except FileProblem as problem:
            raise CommandError(str(problem)) from None
        finally:
            if progress:
                progress.close()
        report = report or file.with_name(file.name + ".errors.csv")
        with open(report, "w", encoding="utf-8-sig", newline="") as target:
            issues = services.write_report(run, target)
        self.stdout.write(
            f"run {run.pk}: {run.last_row} rows, {run.imported} imported, "
            f"{run.skipped} already in the register, {run.rejected} rejected; "
            f"report ({issues} lines): {report}"
        )
