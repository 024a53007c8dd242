import os
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework.calendar_admin import outcome_categories_ensure
from casework.demo import Cast, demo_cases_create, demo_resident_updates_create, seed_demo_inbound
from casework.insight.rollup import rollup_update
from casework.models import Case, Category
from councillors.demo import demo_councillor_name, seed_demo_councillors
from councillors.models import Councillor
from engagement.demo import demo_place_standard_create
from engagement.learning.demo import seed_demo_learning
from engagement.stories.demo import seed_demo_stories
from kirklees.users.models import User
from wards.demo.intel import demo_ward_intel_create
from wards.demo.meetings import demo_meetings_create
from wards.models import Service, Ward
from wards.services.wards import wards_load_csv

DEFAULT_PASSWORD = "demo-casework-2026"
# Every demo login has an authenticator app set up with this published key, so the demo can be
# tried without setting one up first: add it to a phone's app, or `make demo-code` prints the code.
DEMO_TOTP_SECRET = "KIRKLEESDEMOCASEWORKKIRKLEESDEMO"
WARDS_FILE = settings.BASE_DIR / "data" / "kirklees_wards_2004.csv"

SERVICES = [
    ("Highways", "highways@example.org"),
    ("Waste and Recycling", "waste@example.org"),
    ("Homes and Neighbourhoods (repairs)", "repairs@example.org"),
    ("Council Tax and Benefits", "benefits@example.org"),
    ("Environmental Health", "environmental.health@example.org"),
    ("Parks and Greenspace", "parks@example.org"),
    ("Adult Social Care", "adult.care@example.org"),
    ("Planning and Building Control", "planning@example.org"),
]
# name: (triage, service response, resolution) in working days
CATEGORIES = {
    "Bins and recycling": (2, 5, 10),
    "Roads and pavements": (2, 10, 20),
    "Housing": (2, 10, 20),
    "Benefits and council tax": (2, 10, 20),
    "Anti-social behaviour": (1, 5, 15),
    "Parks and open spaces": (2, 10, 20),
    "Social care": (1, 5, 15),
    "Planning": (2, 15, 30),
    "Other": (2, 10, 20),
}
LOGINS = [
    # email, name, role, ward (for councillors), enrolled in advocacy
    ("councillor@example.org", "Cllr Sarah Haigh", User.Role.COUNCILLOR, "Dalton", True),
    ("councillor2@example.org", "Cllr Imran Hussain", User.Role.COUNCILLOR, "Batley East", False),
    ("liaison@example.org", "Lucy Liaison", User.Role.LIAISON_OFFICER, None, None),
    ("manager@example.org", "Mark Manager", User.Role.LIAISON_MANAGER, None, None),
    ("dataadmin@example.org", "Dana Data", User.Role.WARD_DATA_ADMIN, None, None),
]


class Command(BaseCommand):
    help = "Load demo wards, services, categories, logins and cases. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=None,
                            help="Add this many more cases (bulk inserts, for benchmarks).")

    def handle(self, *args, cases=None, **options):
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
        with transaction.atomic():
            wards_load_csv(path=WARDS_FILE)
            self._keep_wards_in_force()
            for name, email in SERVICES:
                # Demo addresses count as confirmed, as existing ones did when confirmation began.
                Service.objects.get_or_create(name=name, defaults={"email": email, "confirmed_email": email})
            for name, (triage, response, resolution) in CATEGORIES.items():
                # Urgent cases get half the time.
                Category.objects.get_or_create(name=name, defaults=dict(
                    triage_days=triage, response_days=response, resolution_days=resolution,
                    urgent_triage_days=max(1, triage // 2), urgent_response_days=max(1, response // 2),
                    urgent_resolution_days=max(1, resolution // 2)))
            users = self._logins(password)
            councillors = self._councillors(users)
            seed_demo_councillors(wards={ward.name: ward for ward in Ward.objects.latest_arrangement()},
                                  users={"manager": users["manager@example.org"]})
            demo_ward_intel_create(author=users["liaison@example.org"])
            demo_meetings_create(recorder=users["liaison@example.org"])
            self.stdout.write(demo_place_standard_create(liaison=users["liaison@example.org"]))
        cast = Cast(
            councillors=councillors,
            # The two demo councillors own most cases, so that their lists are full.
            weights=[40, 15] + [1] * (len(councillors) - 2),
            team=[users["liaison@example.org"], users["manager@example.org"]],
            services=list(Service.objects.all()),
            categories=list(Category.objects.all()),
        )
        outcome_categories_ensure()
        if cases is not None:
            started = time.monotonic()
            made = demo_cases_create(count=cases, cast=cast, seed=int(time.time()))
            self.stdout.write(f"Made {made} cases in {time.monotonic() - started:.1f} s")
        elif not Case.objects.exists():
            made = demo_cases_create(count=200, cast=cast)
            self.stdout.write(f"Made {made} demo cases")
        else:
            self.stdout.write("Demo cases already there")
        self.stdout.write(demo_resident_updates_create())
        seed_demo_stories()
        seed_demo_learning()
        if address := seed_demo_inbound():
            self.stdout.write(f"Reply by email to a demo referral: {address}")
        # The reports read the daily roll-up: fill it now, rather than on beat's first run.
        self.stdout.write(f"Report figures: {rollup_update()}")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (password: %s):" % password))
        for email, _, role, *_ in LOGINS:
            self.stdout.write(f"  {email:28} {role.label}")
        self.stdout.write(f"Each has an authenticator app with the key {DEMO_TOTP_SECRET}: `make demo-code` "
                          "prints its current code.")

    def _logins(self, password) -> dict:
        users = {}
        for email, name, role, _, _ in LOGINS:
            user, created = User.objects.get_or_create(email=email, defaults={"full_name": name, "role": role})
            if created or not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
            users[email] = user
        return users

    def _keep_wards_in_force(self):
        """The wards file ends the 2004 wards on 7 May 2026, but the wards that replaced them are not
        in data/ yet. Until they are, the demo keeps the 2004 wards in force today, so that every
        page (public and staff) tells the same story: these are the wards in use."""
        today = timezone.localdate()
        latest = Ward.objects.latest_arrangement()
        if latest.filter(valid_from__lte=today, valid_to__lte=today).update(valid_to=None):
            self.stdout.write("The demo keeps the 2004 wards in force: the wards that replaced them are not loaded.")

    def _councillors(self, users) -> list[Councillor]:
        wards = {w.name: w for w in Ward.objects.latest_arrangement()}
        liaison, manager = users["liaison@example.org"], users["manager@example.org"]
        councillors = []
        for email, _, role, ward, enrolled in LOGINS:
            if role != User.Role.COUNCILLOR:
                continue
            councillor, _ = Councillor.objects.get_or_create(user=users[email], defaults=dict(
                ward=wards[ward], advocacy_enrolled=enrolled, liaison_officer=liaison))
            councillors.append(councillor)
        # The other seats of every ward, without a login, so the queue and the public pages have
        # the ward's three councillors. The first keeps the address earlier demos gave it.
        seats = {name: ward.councillor_seats - sum(c.ward_id == ward.pk for c in councillors)
                 for name, ward in wards.items()}
        index = 0
        for name in sorted(wards):
            slug = name.lower().replace(" and ", "-").replace(" ", "-")
            for seat in range(seats[name]):
                email = f"cllr.{slug}@example.org" if seat == 0 else f"cllr.{slug}.{seat + 1}@example.org"
                user, created = User.objects.get_or_create(
                    email=email, defaults={"full_name": demo_councillor_name(index), "role": User.Role.COUNCILLOR})
                if not created and user.full_name.endswith(" Member"):  # an earlier demo's placeholder name
                    user.full_name = demo_councillor_name(index)
                    user.save(update_fields=["full_name"])
                councillor, _ = Councillor.objects.get_or_create(user=user, defaults=dict(
                    ward=wards[name], advocacy_enrolled=index % 2 == 0,
                    liaison_officer=liaison if index % 3 else manager))
                councillors.append(councillor)
                index += 1
        return councillors
