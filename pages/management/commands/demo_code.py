"""The code the demo logins' authenticator app shows now (the demo's published key, seed_demo)."""
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.management.base import BaseCommand

from .seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo logins."

    def handle(self, *args, **options):
        counter = next(yield_hotp_counters_from_time())
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))}  (for {left} more seconds; "
                          "a code works once, so wait for the next one to sign in again)")
