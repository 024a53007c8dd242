from django.core.management.base import BaseCommand

from kirklees.govuk.tasks import delete_old_submission_keys


class Command(BaseCommand):
    help = "Delete forms' one-time keys older than two days (safe to run at any time)."

    def handle(self, *args, **options):
        self.stdout.write(f"{delete_old_submission_keys()} deleted")
