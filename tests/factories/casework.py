"""Factories for casework: categories and residents, and cases made and moved on through the services."""
import datetime

import factory
from django.utils import timezone

from casework import services
from casework.models import Case, Category, Resident
from councillors.models import Councillor

from .kirklees import UserFactory
from .wards import ServiceFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    full_name = factory.Sequence(lambda n: f"Resident {n}")
    address = "1 Market Street\nHuddersfield"
    postcode = "HD1 2TA"
    phone = "01484 221000"
    preferred_contact = Resident.PreferredContact.PHONE
    lawful_basis = Resident.LawfulBasis.PUBLIC_TASK
    created_by = factory.SubFactory(UserFactory)


def make_case(owner: Councillor, *, category=None, summary="Bins not collected", **kwargs) -> Case:
    """A case made the way the app makes them: through case_create."""
    resident = ResidentFactory(created_by=owner.user)
    if kwargs.get("sensitive"):
        kwargs.setdefault("special_category_condition", "elected_representative")
    return services.case_create(
        by=owner.user, resident=resident, ward=owner.ward, category=category or CategoryFactory(),
        summary=summary, **kwargs,
    )


def walk(case: Case, to: str, *, team, service=None) -> Case:
    """Take an advocacy case (open, enrolled owner) through the services to the status `to`."""
    owner = case.owner.user
    if to == Case.Status.OPEN:
        return case
    case = services.case_refer_to_advocacy(case=case, by=owner, version=case.version)
    if to == Case.Status.TRIAGE:
        return case
    if to == Case.Status.WITHDRAWN:
        return services.case_withdraw(case=case, by=owner, version=case.version, reason="Sorted")
    case = services.case_accept(case=case, by=team, version=case.version, assignee=team)
    if to == Case.Status.IN_PROGRESS:
        return case
    if to == Case.Status.AWAITING_RESIDENT:
        return services.case_request_info(case=case, by=team, version=case.version, request="Photo please")
    if to == Case.Status.AWAITING_SERVICE:
        services.case_refer_to_service(case=case, by=team, version=case.version,
                                       service=service or ServiceFactory(), details="Please fix")
        case.refresh_from_db()
        return case
    case = services.case_resolve(case=case, by=team, version=case.version, outcome="Fixed")
    if to == Case.Status.RESOLVED:
        return case
    return services.case_confirm(case=case, by=owner, version=case.version)


def days_ago(days: int):
    return timezone.now() - datetime.timedelta(days=days)
