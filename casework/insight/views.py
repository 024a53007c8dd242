from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from kirklees.csvfiles import csv_response
from kirklees.permissions import require
from kirklees.xlsxfiles import xlsx_response

from . import permissions
from .forms import PeriodForm
from .selectors import preset_period, report_for
from .tables import report_tables


def _report(request, *, scope: int, councillor_report: bool, title: str):
    today = timezone.localdate()
    form = PeriodForm(request.GET if request.GET else None, today=today)
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"]
    else:
        period = preset_period("last_month", today)
    report = report_for(scope=scope, period=period)
    return form, report, report_tables(report, councillor_report=councillor_report)


def _page(request, *, scope, councillor_report, title, download):
    form, report, tables = _report(request, scope=scope, councillor_report=councillor_report, title=title)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return render(request, "insight/report.html", {
        "form": form, "report": report, "tables": tables, "title": title, "download": download,
        "query": query, "councillor_report": councillor_report,
    }, status=200 if not form.errors else 400)


def _download(request, fmt, *, scope, councillor_report, title, name):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such download")
    form, report, tables = _report(request, scope=scope, councillor_report=councillor_report, title=title)
    stamp = f"{report.period.start:%Y-%m-%d}-to-{report.period.end:%Y-%m-%d}"
    wanted = request.GET.get("table")
    if wanted:
        tables = [t for t in tables if t.slug == wanted]
        if not tables:
            raise Http404("No such table")
    if fmt == "csv":
        if len(tables) != 1:
            raise Http404("Choose a table")
        table = tables[0]
        return csv_response(f"{name}-{table.slug}-{stamp}.csv", table.header, table.rows)
    return xlsx_response(f"{name}-{stamp}.xlsx", [(t.title, t.header, t.rows) for t in tables])


@login_required
def team_report(request):
    require(permissions.can_read_team_report(request.user))
    return _page(request, scope=0, councillor_report=False, title="Casework report", download="insight:team-download")


@login_required
def team_download(request, fmt):
    require(permissions.can_read_team_report(request.user))
    return _download(request, fmt, scope=0, councillor_report=False, title="Casework report",
                     name="casework-report")


@login_required
def own_report(request):
    councillor = permissions.get_councillor_for_own_report(request.user)
    return _page(request, scope=councillor.pk, councillor_report=True, title="My casework figures",
                 download="insight:own-download")


@login_required
def own_download(request, fmt):
    councillor = permissions.get_councillor_for_own_report(request.user)
    return _download(request, fmt, scope=councillor.pk, councillor_report=True, title="My casework figures",
                     name="my-casework-figures")
