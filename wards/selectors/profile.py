"""Reads for ward profile figures, each with its age, so that nobody quotes a stale number as today's."""
import datetime

from ..models import Ward, WardFigure


def age_in_words(day: datetime.date, today: datetime.date) -> str:
    """How old a dated figure is, as people say it: "3 years old", "5 months old"."""
    if day > today:
        return "dated in the future"
    months = (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day)
    if months >= 12:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''} old"
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''} old"
    return "less than a month old"


# A profile figure this old is flagged, so nobody quotes a stale number as today's (the census is
# ten-yearly, so a census figure is flagged for half its life: that is the point).
FIGURE_STALE_YEARS = 5


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _with_age(figures, today: datetime.date) -> list[WardFigure]:
    figures = list(figures)
    stale_before = _years_before(today, FIGURE_STALE_YEARS)
    for figure in figures:
        figure.age = age_in_words(figure.as_of, today)
        figure.is_stale = figure.as_of <= stale_before
    return figures


def ward_figures_latest(ward: Ward, today: datetime.date) -> list[WardFigure]:
    """The newest figure of each name (one query: Postgres DISTINCT ON), with its age."""
    figures = WardFigure.objects.filter(ward=ward).order_by("name", "-as_of", "-id").distinct("name")
    return _with_age(figures, today)


def ward_figures_all(ward: Ward, today: datetime.date) -> list[WardFigure]:
    """Every figure the ward has had, newest first within each name (for the admin's list)."""
    return _with_age(WardFigure.objects.filter(ward=ward).order_by("name", "-as_of", "-id"), today)



def figures_export(ward: Ward | None = None):
    figures = WardFigure.objects.select_related("ward").order_by("ward__name", "ward__valid_from", "name", "-as_of")
    return figures.filter(ward=ward) if ward is not None else figures

