"""Time the busiest casework pages against a large, made-up caseload.

Runs in its own database, `<NAME>_bench` on the same server, so that the demo data is never
touched: it is created (or, with --fresh, recreated), migrated and seeded on the first run and
reused afterwards. Pages are requested in-process through django.test.Client, so the figures
are Django and Postgres time without a web server or network in front.
"""

import os
import re
import statistics
import time
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Case
from engagement.demo import bench_exercise
from kirklees.users.models import User
from wards.models import Ward

LIAISON = "liaison@example.org"
COUNCILLOR = "councillor@example.org"
MANAGER = "manager@example.org"
# force_login's default is the first backend listed, axes', which cannot load a user back.
LOGIN_BACKEND = "config.auth_backends.AuthenticationBackend"
DECLARE_CURSOR = re.compile(r"^DECLARE .*? CURSOR (?:WITH(?:OUT)? HOLD )?FOR ", re.DOTALL)
SCAN = re.compile(r"(?P<scan>Parallel Seq Scan|Seq Scan|Parallel Index Only Scan|Index Only Scan|"
                  r"Parallel Index Scan|Index Scan|Bitmap Index Scan)(?: Backward)?(?: using (?P<index>\w+))? "
                  r"on (?P<target>\w+)")
CASES_IN_CAPTION = re.compile(r"<caption[^>]*>\s*([\d,]+) cases?")


class Command(BaseCommand):
    help = "Seed a separate benchmark database (first run only) and time the main casework pages."
    # The database is switched inside handle(); nothing may query the real one before that.
    requires_system_checks: list = []  # noqa: RUF012 (Django's own spelling)

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000,
                            help="Cases the benchmark database should hold (default 100000).")
        parser.add_argument("--runs", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests per page first (default 3).")
        parser.add_argument("--fresh", action="store_true",
                            help="Drop and recreate the benchmark database before seeding.")
        parser.add_argument("--explain-all", action="store_true",
                            help="EXPLAIN ANALYZE every query of every page, not only the queue's main ones.")

    def handle(self, *args, cases, runs, warmup, fresh, explain_all, **options):
        if runs < 1 or cases < 1:
            raise CommandError("--runs and --cases must be at least 1.")
        started = time.perf_counter()
        name = self._use_bench_database(fresh=fresh)
        self.stdout.write(f"Benchmark database: {name} (the demo database is not touched)")

        # Import the views now (through the URLconf), so that a broken tree fails in a second
        # rather than after seeding.
        reverse("casework:queue")
        seeded = self._seed(cases)
        self._rollup()
        # Production-like: no debug query log or debug templates; the test client's host allowed.
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            pages = self._pages()
            results = [self._measure(label, user, url, params, warmup=warmup, runs=runs)
                       for label, user, url, params in pages]
        self._report(results, seeded=seeded, runs=runs)
        self._explain(results, explain_all=explain_all)
        self._sweep()
        self.stdout.write(f"\nDone in {time.perf_counter() - started:.1f} s end to end.")

    # --- the database ----------------------------------------------------------------------

    def _use_bench_database(self, *, fresh: bool) -> str:
        base = connection.settings_dict["NAME"]
        if not base:
            raise CommandError("DATABASES['default'] has no NAME.")
        if base.endswith("_bench"):
            raise CommandError(f"The database {base!r} already looks like a benchmark one; "
                               "point DATABASE_URL at the demo database.")
        name = f"{base}_bench"
        quoted = connection.ops.quote_name(name)
        connections.close_all()
        # A connection to the server's maintenance database: CREATE/DROP DATABASE run outside
        # a transaction and never inside the database they act on.
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and fresh:
                self.stdout.write(f"Dropping {name} (--fresh)")
                cursor.execute(f"DROP DATABASE {quoted} WITH (FORCE)")
                exists = False
            if not exists:
                cursor.execute(f"CREATE DATABASE {quoted}")
        connection.close()
        # connection.settings_dict is the very dict in settings.DATABASES; set both to be plain.
        settings.DATABASES["default"]["NAME"] = name
        connection.settings_dict["NAME"] = name
        # A separate cache namespace too, so nothing cached by the demo leaks in or out.
        if "default" in settings.CACHES:
            prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
            settings.CACHES["default"]["KEY_PREFIX"] = f"{prefix}-bench"
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            current = cursor.fetchone()[0]
        if current != name:
            raise CommandError(f"Expected to be connected to {name}, but the server says {current}.")
        return name

    def _seed(self, target: int) -> dict | None:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_s = time.perf_counter() - t0
        have = Case.objects.count()
        seeded = None
        if have < target:
            missing = target - have
            self.stdout.write(f"Seeding {missing:,} cases ({have:,} there, {target:,} wanted)...")
            self.stdout.flush()
            t1 = time.perf_counter()
            # Loads the wards, services, categories and logins first, then adds the cases.
            call_command("seed_demo", cases=missing, stdout=StringIO())
            seeded = {"cases": missing, "seconds": time.perf_counter() - t1}
        elif User.objects.filter(email__in=[LIAISON, COUNCILLOR]).count() < 2:
            # Seeded enough already: only the logins are wanted. Skipped when they are there,
            # since seed_demo checks every demo password (about a second of PBKDF2 each).
            call_command("seed_demo", stdout=StringIO())
        # Seeding rewrites every case (the search document), leaving a dead row version behind
        # each; vacuum them away, as autovacuum would in a steady state, rather than have it
        # start in the middle of the timings. Quick when there is nothing to do.
        t2 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        vacuum_s = time.perf_counter() - t2
        self.stdout.write(f"migrate {migrate_s:.1f} s, VACUUM (ANALYZE) {vacuum_s:.1f} s, "
                          + (f"seeding {seeded['cases']:,} cases {seeded['seconds']:.1f} s" if seeded else
                             f"seeding skipped ({have:,} cases already there)"))
        return seeded

    # --- the pages ---------------------------------------------------------------------------

    def _pages(self) -> list[tuple]:
        liaison = User.objects.get(email=LIAISON)
        councillor = User.objects.get(email=COUNCILLOR)
        manager = User.objects.get(email=MANAGER)
        queue = reverse("casework:queue")
        # The ward with most cases in the queue: the filter a busy officer would use.
        ward_id = (Case.objects.advocacy().values("ward").annotate(n=Count("pk")).order_by("-n")
                   .values_list("ward", flat=True).first())
        if ward_id is None:
            raise CommandError("No advocacy cases in the benchmark database.")
        ward = Ward.objects.get(pk=ward_id)
        case, events = self._typical_case(councillor)
        # Place Standard: results of one exercise with 50,000 responses (made once, by bulk insert).
        results = reverse("engagement:results", args=[bench_exercise(responses=50_000, liaison=liaison).pk])
        return [
            ("queue, first page", liaison, queue, {}),
            (f"queue, triage+{ward.name}+overdue+'bins'", liaison, queue,
             {"status": "triage", "ward": ward.pk, "overdue": "on", "q": "bins"}),
            ("queue, urgent+unassigned", liaison, queue, {"priority": "urgent", "unassigned": "on"}),
            ("my cases, first page", councillor, reverse("casework:my-cases"), {}),
            (f"case page ({events} events)", councillor, case.get_absolute_url(), {}),
            ("place standard results, 50,000 responses", liaison, results, {}),
            ("place standard results, one age band", liaison, results, {"age_band": "35_44"}),
            ("casework report, last month", manager, reverse("insight:team"), {"preset": "last_month"}),
            ("casework report, last 12 months", manager, reverse("insight:team"), {"preset": "last_12_months"}),
            ("councillor's own figures, last quarter", councillor, reverse("insight:own"),
             {"preset": "last_quarter"}),
        ]

    def _typical_case(self, councillor):
        """One of the councillor's cases with the median number of timeline entries.

        Not a sensitive one: viewing those adds an entry each time, so the timeline would grow.
        """
        mine = (Case.objects.filter(owner__user=councillor, sensitive=False)
                .annotate(events_n=Count("events")))
        counts = sorted(mine.values_list("events_n", flat=True))
        if not counts:
            raise CommandError(f"{COUNCILLOR} owns no cases in the benchmark database.")
        median = counts[len(counts) // 2]
        case = (mine.filter(events_n=median).annotate(referrals_n=Count("referrals", distinct=True))
                .order_by("-referrals_n", "reference").first())
        return case, median

    def _measure(self, label, user, url, params, *, warmup: int, runs: int) -> dict:
        client = Client()
        client.force_login(user, backend=LOGIN_BACKEND)

        def get():
            response = client.get(url, params)
            if response.status_code != 200:
                where = response.get("Location", "")
                raise CommandError(f"{label}: GET {url} {params} answered {response.status_code}"
                                   + (f" (redirect to {where})" if where else ""))
            return response

        for _ in range(warmup):
            get()
        timings, cpu, sql, query_counts = [], [], [], set()
        for _ in range(runs):
            in_sql = [0.0]

            def timed(execute, *args, in_sql=in_sql):
                t = time.perf_counter()
                try:
                    return execute(*args)
                finally:
                    in_sql[0] += time.perf_counter() - t

            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
                c0, t0 = time.process_time(), time.perf_counter()
                response = get()
                timings.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            sql.append(in_sql[0] * 1000)
            query_counts.add(len(captured))
        match = CASES_IN_CAPTION.search(response.content.decode())
        return {
            "label": label, "timings": timings, "cpu": cpu, "sql": sql, "queries": sorted(query_counts),
            "rows": match.group(1) if match else "", "statements": [q["sql"] for q in captured.captured_queries],
            "url": url, "params": params,
        }

    # --- the report --------------------------------------------------------------------------

    def _report(self, results, *, seeded, runs: int):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), count(*) FILTER (WHERE advocacy) FROM casework_case")
            total, advocacy = cursor.fetchone()
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        cores = os.cpu_count()
        usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
        self.stdout.write("")
        self.stdout.write(f"{total:,} cases ({advocacy:,} with the advocacy service); "
                          f"{usable} of {cores} CPU cores usable; Postgres {server}; "
                          f"{runs} timed requests per page")
        if seeded:
            self.stdout.write(f"Seeded {seeded['cases']:,} cases in {seeded['seconds']:.1f} s "
                              f"({seeded['cases'] / seeded['seconds']:,.0f} cases/s)")
        load = os.getloadavg()
        self.stdout.write(f"Load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
                          + ("  (busy machine: other work competes with the benchmark for CPU)"
                             if load[0] > 0.5 * usable else ""))
        self.stdout.write("")
        width = max(len(r["label"]) for r in results) + 2
        self.stdout.write(f"{'page':<{width}}{'p50 ms':>8}{'p95 ms':>9}{'max ms':>9}{'queries':>9}"
                          f"{'in SQL':>9}{'app CPU':>9}  matched")
        for r in results:
            t = sorted(r["timings"])
            p50 = statistics.median(t)
            p95 = statistics.quantiles(t, n=20, method="inclusive")[-1] if len(t) > 1 else t[0]
            queries = "/".join(str(n) for n in r["queries"])
            self.stdout.write(f"{r['label']:<{width}}{p50:>8.1f}{p95:>9.1f}{t[-1]:>9.1f}{queries:>9}"
                              f"{statistics.median(r['sql']):>9.1f}{statistics.median(r['cpu']):>9.1f}  {r['rows']}")
        self.stdout.write("in SQL: median time waiting on the database per request; app CPU: median CPU time of "
                          "this process per request (Django, templates, the driver). Both in ms.")

    def _rollup(self):
        """The reports' daily roll-up over the whole caseload: every day from the first case (as on its
        first run), then an idle run with nothing changed since. Kept: the report pages read it."""
        from casework.insight.models import DailyFigure
        from casework.insight.rollup import rollup_update

        self.stdout.write(f"\nReports' daily roll-up over {Case.objects.count():,} cases:")
        for label, full in (("first run (every day)", True), ("idle run (nothing changed)", False)):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                result = rollup_update(full=full)
                seconds = time.perf_counter() - t0
            self.stdout.write(f"  {label:<32}{seconds:>7.2f} s {len(captured):>5} queries   {result}")
        self.stdout.write(f"  {DailyFigure.objects.count():,} roll-up rows")

    def _sweep(self):
        """The escalation sweep over the whole caseload: a first run with everything overdue still
        to do, then a second with nothing left. Rolled back afterwards, so every bench run
        measures the same thing."""
        from casework.escalation import sla_sweep
        from casework.models import Referral

        today = timezone.localdate()
        active = Case.objects.active()
        overdue_cases = active.filter(advocacy=True, status__in=["triage", "in_progress"], due_date__lt=today)
        overdue_referrals = Referral.objects.filter(case__advocacy=True, case__status="awaiting_service",
                                                    responded_at__isnull=True, due_date__lt=today)
        self.stdout.write(f"\nEscalation sweep: {active.count():,} open cases; overdue: "
                          f"{overdue_cases.count():,} cases past triage or resolution, "
                          f"{overdue_referrals.count():,} referrals without an answer")
        with transaction.atomic():
            for label in ("first run", "second run (nothing left to do)"):
                with CaptureQueriesContext(connection) as captured:
                    t0 = time.perf_counter()
                    result = sla_sweep(today=today)
                    seconds = time.perf_counter() - t0
                self.stdout.write(f"  {label:<32}{seconds:>7.2f} s {len(captured):>5} queries   {result}")
            transaction.set_rollback(True)

    def _explain(self, results, *, explain_all: bool):
        self.stdout.write("\nEXPLAIN (ANALYZE, BUFFERS): planning and execution time, top plan line"
                          + ("" if explain_all else " (the queue's COUNT and page queries; --explain-all for all)"))
        for r in results:
            if not explain_all and not r["label"].startswith("queue"):
                continue
            # The filter dropdowns read their choices through server-side cursors.
            selects = [DECLARE_CURSOR.sub("", sql) for sql in r["statements"]]
            selects = [sql for sql in selects if sql.lstrip().upper().startswith("SELECT")]
            if not explain_all:
                selects = [sql for sql in selects
                           if _table(sql) == "casework_case" and ("COUNT(*)" in sql or " LIMIT 50" in sql)]
            self.stdout.write(f"  {r['label']}:")
            for sql in selects:
                planning, execution, top = self._plan_summary(sql)
                what = _table(sql) + (" COUNT" if "COUNT(*)" in sql else " page" if " LIMIT 50" in sql else "")
                self.stdout.write(f"    {what:<26} plan {planning:>9}  run {execution:>9}  {top}")

    def _plan_summary(self, sql: str) -> tuple[str, str, str]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines = [row[0] for row in cursor.fetchall()]
        times = dict(line.split(": ", 1) for line in lines if line.endswith(" ms") and " Time: " in line)
        top = lines[0].strip().split("  (", 1)[0] if lines else "?"
        # How the cases table itself is read: a Seq Scan, or which index.
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'casework_case'")
            case_indexes = {row[0] for row in cursor.fetchall()}
        scans = []
        for line in lines:
            match = SCAN.search(line)
            if not match:
                continue
            kind, index, target = match.group("scan", "index", "target")
            if kind == "Bitmap Index Scan":  # "Bitmap Index Scan on <index>"
                index, target = target, ("casework_case" if target in case_indexes else None)
            if target == "casework_case":
                scan = kind + (f" using {index}" if index else "")
                if scan not in scans:
                    scans.append(scan)
        summary = top + (f"; casework_case: {', '.join(scans)}" if scans else "")
        return times.get("Planning Time", "?"), times.get("Execution Time", "?"), summary


def _table(sql: str) -> str:
    match = re.search(r'\bFROM "(\w+)"', sql)
    return match.group(1) if match else "?"
