from django.core.management.base import BaseCommand

from casework.insight import rollup
from casework.insight.tasks import report_rollup


class Command(BaseCommand):
    help = ("Bring the reports' daily roll-up up to date: the days since the last run, and the days of cases "
            "changed since (safe to run at any time: a second run changes nothing). --full recomputes every day.")

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Recompute every day from the first case.")

    def handle(self, *args, **options):
        self.stdout.write(rollup.rollup_update(full=True) if options["full"] else report_rollup())
