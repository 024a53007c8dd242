from django.core.management.base import BaseCommand

from kirklees.audit.retention import audit_rows_delete_old


class Command(BaseCommand):
    help = "Delete audit rows older than AUDIT_RETENTION_DAYS (never younger than a year)."

    def handle(self, *args, **options):
        self.stdout.write(f"{audit_rows_delete_old()} audit rows deleted")
