from django.core.management.base import BaseCommand, CommandError

from wards.services.wards import WardFileError, wards_load_csv


class Command(BaseCommand):
    help = "Load dated wards from a CSV (name,gss_code,councillors,valid_from,valid_to)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            result = wards_load_csv(path=file)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {file}") from exc
        except WardFileError as exc:
            raise CommandError("Nothing was loaded:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"Wards: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        )
