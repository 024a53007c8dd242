from django.core.management.base import BaseCommand

from casework.tasks import resident_retention


class Command(BaseCommand):
    help = ("Anonymise every resident whose every case is past its retention period and on no legal hold, "
            "and delete their files (safe to run at any time: a second run does nothing).")

    def handle(self, *args, **options):
        self.stdout.write(resident_retention())
