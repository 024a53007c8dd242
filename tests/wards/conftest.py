"""Fixtures that several ward test files share."""
import pytest

from ..factories.councillors import CouncillorFactory
from ..factories.wards import WardFactory


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Almondbury")


@pytest.fixture
def everyone(owner, other_ward, liaison, manager, data_admin, no_role):
    """The users a ward page is tried as, by name: the owner, a councillor of another ward, the
    staff, and an account with no role."""
    return {
        "councillor": owner.user,
        "other_councillor": CouncillorFactory(user__full_name="Cllr Elsewhere", ward=other_ward).user,
        "liaison": liaison, "manager": manager, "data_admin": data_admin, "no_role": no_role,
    }
