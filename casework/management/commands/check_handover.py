from django.core.management.base import BaseCommand

from casework.tasks import handover_check


class Command(BaseCommand):
    help = ("List how many open cases need handing over (their councillor no longer serves, or a boundary change "
            "moved them out of the councillor's ward) and tell the liaison managers, once a day however often run.")

    def handle(self, *args, **options):
        self.stdout.write(handover_check())
