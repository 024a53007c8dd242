"""A report as tables: what the page shows, what each chart draws, and what the CSV and .xlsx
downloads contain are the same rows, so they cannot disagree."""
from dataclasses import dataclass

from .charts import BarChart, build_bar_chart
from .models import AGE_BANDS, DIMENSIONS
from .selectors import CURRENT, PREVIOUS, Report


@dataclass
class Table:
    slug: str
    title: str
    header: list[str]
    rows: list[list]
    chart: BarChart


def period_label(period) -> str:
    if period.start.year == period.end.year:
        return f"{period.start:%-d %b} to {period.end:%-d %b %Y}"
    return f"{period.start:%-d %b %Y} to {period.end:%-d %b %Y}"


def _chart(slug, title, rows, columns, names, **options) -> BarChart:
    return build_bar_chart(id=f"chart-{slug}", title=title, labels=[str(row[0]) for row in rows],
                           series=[(name, [row[c] for row in rows]) for name, c in zip(names, columns, strict=True)],
                           **options)


BREAKDOWN_HEADER = [
    "Opened", "Opened (previous period)", "Closed", "Closed (previous period)", "Open at the end",
    "Triage within target, %", "Service responses within target, %", "Resolutions within target, %",
    "Median working days to respond", "90th percentile working days to respond",
    "Median working days to resolve", "90th percentile working days to resolve",
]


def report_tables(report: Report, *, councillor_report: bool) -> list[Table]:
    now, before = report.get(CURRENT), report.get(PREVIOUS)
    this_name = f"This period ({period_label(report.period)})"
    previous_name = f"Previous period ({period_label(report.previous)})"
    names = [this_name, previous_name]
    tables = []

    rows = [["Cases opened", now.opened, before.opened],
            ["Cases closed (resolved or withdrawn)", now.closed, before.closed],
            ["Cases open at the end of the period", now.open_end, before.open_end]]
    tables.append(Table("volumes", "Cases opened, closed and open", ["Figure", this_name, previous_name], rows,
                        _chart("volumes", "Cases opened, closed and open at the end", rows, [1, 2], names)))

    rows = []
    for label, stage in [("Triage", "triage"), ("Service responses", "response"), ("Resolution", "resolution")]:
        rows.append([label, getattr(now, f"{stage}_met"), getattr(now, f"{stage}_n"), getattr(now, f"{stage}_share"),
                     getattr(before, f"{stage}_met"), getattr(before, f"{stage}_n"),
                     getattr(before, f"{stage}_share")])
    tables.append(Table(
        "targets", "Share of each stage within target",
        ["Stage", "Within target", "Ended", "Within target, %", "Within target (previous period)",
         "Ended (previous period)", "Within target, % (previous period)"], rows,
        _chart("targets", "Share of each stage within target, per cent", rows, [3, 6], names, unit="%",
               maximum=100)))

    rows = [["Working days to respond: median", now.response_median, before.response_median],
            ["Working days to respond: 90th percentile", now.response_p90, before.response_p90],
            ["Working days to resolve: median", now.resolution_median, before.resolution_median],
            ["Working days to resolve: 90th percentile", now.resolution_p90, before.resolution_p90]]
    tables.append(Table("times", "Working days to respond and to resolve", ["Measure", this_name, previous_name],
                        rows, _chart("times", "Working days to respond and to resolve", rows, [1, 2], names)))

    rows = [[label, now.backlog[i], before.backlog[i]] for i, (_, _, label) in enumerate(AGE_BANDS)]
    tables.append(Table(
        "backlog", "Open cases by age",
        ["Age (working days since opened)", f"Open on {report.period.end:%-d %b %Y}",
         f"Open on {report.previous.end:%-d %b %Y}"], rows,
        _chart("backlog", "Open cases by age at the end of each period", rows, [1, 2], names)))

    rows = [[str(step), report.escalations[CURRENT].get(step.pk, 0), report.escalations[PREVIOUS].get(step.pk, 0)]
            for step in report.steps]
    tables.append(Table("escalations", "Escalations by step", ["Escalation step", this_name, previous_name], rows,
                        _chart("escalations", "Escalations by step", rows, [1, 2], names)))

    for dimension, label in DIMENSIONS.items():
        if councillor_report and dimension == "councillor":
            continue
        rows = []
        for key in report.keys(dimension):
            f, p = report.get(CURRENT, dimension, key), report.get(PREVIOUS, dimension, key)
            rows.append([report.labels[dimension].get(key, key), f.opened, p.opened, f.closed, p.closed, f.open_end,
                         f.triage_share, f.response_share, f.resolution_share, f.response_median, f.response_p90,
                         f.resolution_median, f.resolution_p90])
        slug = f"by-{dimension.replace('_', '-')}"
        tables.append(Table(slug, f"By {label.lower()}", [label, *BREAKDOWN_HEADER], rows,
                            _chart(slug, f"Cases opened by {label.lower()}", rows, [1, 2], names)))
    return tables
