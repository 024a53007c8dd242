"""Every change to ward profile figures (reference data: the ward data admin)."""
import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from .. import permissions
from ..models import Ward, WardFigure
from .wards import WardRefused, tidy

FIGURE_TAKEN = "{ward} already has a figure called {name} as of this date: edit that one instead"


def figure_taken(ward: Ward, name: str, as_of: datetime.date, *, exclude: WardFigure | None = None) -> bool:
    others = WardFigure.objects.filter(ward=ward, name__iexact=name, as_of=as_of)
    return (others.exclude(pk=exclude.pk) if exclude is not None else others).exists()


def _save_figure(figure: WardFigure, *, update_fields=None) -> WardFigure:
    message = FIGURE_TAKEN.format(ward=figure.ward.name, name=figure.name)
    if figure_taken(figure.ward, figure.name, figure.as_of, exclude=figure if figure.pk else None):
        raise WardRefused(message, field="as_of")
    try:
        with transaction.atomic():
            figure.save(update_fields=update_fields)
    except IntegrityError:
        raise WardRefused(message, field="as_of") from None
    return figure


FIGURE_FIELDS = ["name", "value", "unit", "source", "as_of"]


@transaction.atomic
def ward_figure_create(*, by, ward: Ward, name: str, value: Decimal, unit: str = "", source: str,
                       as_of: datetime.date) -> WardFigure:
    permissions.require(permissions.can_manage_reference_data(by))
    return _save_figure(WardFigure(ward=ward, name=tidy(name), value=value, unit=tidy(unit),
                                   source=tidy(source), as_of=as_of))


@transaction.atomic
def ward_figure_update(*, figure: WardFigure, by, name: str, value: Decimal, unit: str = "", source: str,
                       as_of: datetime.date) -> WardFigure:
    permissions.require(permissions.can_manage_reference_data(by))
    figure.name, figure.value, figure.unit = tidy(name), value, tidy(unit)
    figure.source, figure.as_of = tidy(source), as_of
    return _save_figure(figure, update_fields=FIGURE_FIELDS)


@transaction.atomic
def ward_figure_delete(*, figure: WardFigure, by) -> None:
    permissions.require(permissions.can_manage_reference_data(by))
    figure.delete()
