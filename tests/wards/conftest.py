"""Fixtures that several ward test files share."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wards.models import FundingAward, Priority
from wards.services.briefings import briefing_create

from ..factories.councillors import CouncillorFactory
from ..factories.wards import (
    FundingAwardFactory, FundingSchemeFactory, PlaceFactory, PriorityFactory, PriorityUpdateFactory, WardFactory,
    WardFigureFactory,
)
from ..samples import PDF

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Batley East")


@pytest.fixture
def people_in_two_wards(owner, other_ward, liaison, manager, data_admin):
    """`owner` is a councillor in Dalton (the `ward` fixture); the other councillor sits in Batley East."""
    other = CouncillorFactory(user__full_name="Cllr Elsewhere", ward=other_ward)
    return {"councillor": owner.user, "other_councillor": other.user, "liaison": liaison, "manager": manager,
            "data_admin": data_admin}


@pytest.fixture
def everyone(people_in_two_wards, no_role):
    """The users a ward page is tried as, by name: the owner, a councillor of another ward, the
    staff, and an account with no role."""
    return {**people_in_two_wards, "no_role": no_role}


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path, "base_url": None}}}
    return tmp_path


@pytest.fixture
def world(ward, people_in_two_wards, liaison, private_storage):
    """One of everything in Dalton, for trying every page."""
    place = PlaceFactory(ward=ward, name="Moldgreen")
    figure = WardFigureFactory(ward=ward, name="Population", value=Decimal("17842"))
    priority = PriorityFactory(ward=ward, place=place, created_by=liaison, status=Priority.Status.ACTIVE)
    PriorityUpdateFactory(priority=priority, by=liaison)
    briefing = briefing_create(
        by=liaison, ward=ward, title="Road closure", text="Wakefield Road shut", publish_on=TODAY() - DAY,
        expires_on=TODAY() + 10 * DAY, upload=SimpleUploadedFile("closure notice.pdf", PDF, "application/pdf"))
    scheme = FundingSchemeFactory(name="Ward Members’ Fund")
    award = FundingAwardFactory(scheme=scheme, ward=ward, priority=priority, status=FundingAward.Status.APPROVED,
                                decided_on=TODAY() - DAY)
    return {"ward": ward, "place": place, "figure": figure, "priority": priority, "briefing": briefing,
            "scheme": scheme, "award": award}
