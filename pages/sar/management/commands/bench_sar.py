"""Time a subject access bundle for a resident with many cases and files (issue 13's figure).

Everything it makes is made in one transaction that is rolled back at the end, and the files go to
a temporary folder that is removed: the database and the real file storage are left as they were.
Needs the demo data (seed_demo) for its councillor and manager.
"""

import os
import statistics
import tempfile
import time
import tracemalloc

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import Category, Resident
from kirklees.db import insert_rows
from kirklees.users.models import User
from pages.sar import bundle as bundles
from pages.sar import services
from wards.models import Service

LOGIN_BACKEND = "config.auth_backends.AuthenticationBackend"


class _RollBack(Exception):
    pass


def _pdf(size: int) -> bytes:
    head, tail = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", b"trailer<<>>\n%%EOF\n"
    return head + os.urandom(max(size - len(head) - len(tail), 0)) + tail  # random: compresses as real files do


class Command(BaseCommand):
    help = "Time the subject access bundle for one resident with many cases and files (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=50)
        parser.add_argument("--attachments", type=int, default=200)
        parser.add_argument("--file-kb", type=int, default=200, help="Size of each file (default 200 KB).")
        parser.add_argument("--residents", type=int, default=100_000,
                            help="Other residents in the database, whose names are looked for (default 100000).")
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, cases, attachments, file_kb, residents, runs, **options):
        councillor = User.objects.filter(email="councillor@example.org").select_related("councillor").first()
        manager = User.objects.filter(email="manager@example.org").first()
        if councillor is None or manager is None:
            raise CommandError("Run `manage.py seed_demo` first: the bench uses the demo councillor and manager.")
        with tempfile.TemporaryDirectory() as folder, override_settings(
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES={
                **settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                 "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"],
                                                             "location": folder}}}):
            try:
                with transaction.atomic():
                    self._run(councillor, manager, cases=cases, attachments=attachments, file_kb=file_kb,
                              residents=residents, runs=runs)
                    raise _RollBack
            except _RollBack:
                pass

    def _run(self, councillor, manager, *, cases, attachments, file_kb, residents, runs):
        started = time.perf_counter()
        now = timezone.now()
        insert_rows(Resident, ["full_name", "address", "postcode", "email", "phone", "preferred_contact",
                               "lawful_basis", "basis_recorded_on", "created_by_id", "created_at", "updated_at",
                               "version"],
                    [(f"Bench Person {i}", "1 Bench Street", "HD1 1AA", "", "01484 000000", "phone", "public_task",
                      now.date(), councillor.pk, now, now, 1) for i in range(residents)])
        resident = Resident.objects.create(full_name="Sandra Subject", address="2 Bench Street", postcode="HD1 1AA",
                                           email="sandra@example.org", preferred_contact="email",
                                           lawful_basis="public_task", created_by=councillor)
        category = Category.objects.order_by("pk").first()
        service = Service.objects.exclude(confirmed_email="").order_by("pk").first()
        body = _pdf(file_kb * 1024)
        made = []
        for n in range(cases):
            case = casework_services.case_create(by=councillor, resident=resident, ward=councillor.councillor.ward,
                                                 category=category, summary=f"Bench case {n}",
                                                 details="Long details. " * 100)
            casework_services.case_add_note(case=case, by=councillor, text=f"Spoke to Bench Person {n * 7}.")
            casework_services.case_add_note(case=case, by=councillor, text="Chased the service. " * 20)
            casework_services.case_refer_to_service(case=case, by=councillor, version=case.version,
                                                    service=service, details="Please look at this. " * 10)
            made.append(case)
        for n in range(attachments):
            casework_services.case_add_attachment(case=made[n % len(made)], by=councillor,
                                                  upload=SimpleUploadedFile(f"scan {n}.pdf", body, "application/pdf"))
        sar = services.sar_start(by=manager, resident=resident, received_on=timezone.localdate())
        self.stdout.write(f"Seeded {cases} cases, {attachments} files of {file_kb} KB and {residents:,} other "
                          f"residents in {time.perf_counter() - started:.1f} s (rolled back at the end).")

        times, queries, size = [], 0, 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                bundle = bundles.bundle_gather(sar, by=manager)
                out = bundles.bundle_write(bundle)
                out.seek(0, os.SEEK_END)
                size = out.tell()
                out.close()
                times.append(time.perf_counter() - t0)
            queries = len(captured)
        tracemalloc.start()
        bundles.bundle_write(bundles.bundle_gather(sar, by=manager)).close()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        review = len([i for i in bundle.data["redaction_review"] if i["item"] != "attachment"])
        self.stdout.write(f"Bundle (gather + write the ZIP): median {statistics.median(times):.2f} s over {runs} "
                          f"runs (min {min(times):.2f}, max {max(times):.2f}); {queries} queries; "
                          f"ZIP {size / 1024 / 1024:.1f} MB; {review} texts flagged for redaction review; "
                          f"peak Python memory {peak / 1024 / 1024:.1f} MB.")

        client = Client()
        client.force_login(manager, backend=LOGIN_BACKEND)
        url = reverse("sar:bundle", kwargs={"pk": sar.pk})
        t0 = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"The download page answered {response.status_code}")
        streamed = sum(len(chunk) for chunk in response.streaming_content)
        elapsed = time.perf_counter() - t0
        self.stdout.write(f"The download page, in-process ({streamed / 1024 / 1024:.1f} MB streamed): {elapsed:.2f} s")
