"""Import trainees into a cohort from a CSV file: all of it, or nothing and every bad line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lifecycle.wording import count
from training.cohorts.importing import BadImport, import_trainees
from training.cohorts.models import Cohort
from training.cohorts.selectors import import_summary


class Command(BaseCommand):
    help = (
        "Import trainees into COHORT (its id or slug) from a CSV file with the columns "
        "username,email[,first_name,last_name]. Nothing is imported when a row is bad; rows "
        "already in the cohort are skipped. Each new trainee is emailed a set-your-password link."
    )

    def add_arguments(self, parser):
        parser.add_argument("cohort", help="The cohort's id or slug.")
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")

    def handle(self, *args, cohort: str, file: Path, **options):
        found = Cohort.objects.filter(slug=cohort).first()
        if found is None and cohort.isdigit():
            found = Cohort.objects.filter(pk=int(cohort)).first()
        if found is None:
            raise CommandError(f"No cohort has the id or slug “{cohort}”.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise CommandError(f"Cannot read {file}: {err}") from err
        try:
            report = import_trainees(actor=None, cohort=found, text=text)
        except BadImport as err:
            for line, reason in err.errors:
                self.stderr.write(f"{file}:{line}: {reason}")
            raise CommandError(
                f"Nothing imported: {count(len(err.errors), 'bad line')} in {file}."
            ) from err
        self.stdout.write(f"{found.name}: {import_summary(report)}")
