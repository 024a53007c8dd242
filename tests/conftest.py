import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import TransactionTestCase

from kirklees.users.models import User

from .factories.casework import CategoryFactory, make_case
from .factories.councillors import CouncillorFactory
from .factories.kirklees import UserFactory
from .factories.wards import ServiceFactory, WardFactory


@pytest.fixture(autouse=True)
def _each_test_starts_with_an_empty_cache():
    """Rate limits and throttles count in the cache: what one test counted must not refuse the next
    (a browser test's sign-in after the lockout tests' failures). Only this process's keys go
    (test settings give each process its own prefix), so a suite running beside it keeps its own."""
    try:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # a test that takes Redis away; nothing is cached then anyway
    yield


@pytest.fixture(autouse=True, scope="session")
def _transactional_tests_may_empty_the_append_only_tables():
    """After a transactional test (live server, Celery end to end) Django empties every table with
    TRUNCATE, which casework_caseevent's trigger refuses. Only here, during that flush, triggers are
    skipped with session_replication_role = replica: a setting that only a superuser may change (the
    tests' own user is one, as it creates the test database). Production never loads this file, and
    neither of its roles is a superuser (grant_runtime_role refuses one), so neither can do the same."""
    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        databases = [connections[alias] for alias in self._databases_names(include_mirrors=False)]
        for connection in databases:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        try:
            original(self)
        finally:
            for connection in databases:
                with connection.cursor() as cursor:
                    cursor.execute("RESET session_replication_role")

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture
def ward(db):
    return WardFactory(name="Dalton")


@pytest.fixture
def category(db):
    return CategoryFactory(name="Bins and recycling", triage_days=2, response_days=5, resolution_days=10,
                           urgent_triage_days=1, urgent_response_days=2, urgent_resolution_days=5)


@pytest.fixture
def service(db):
    return ServiceFactory(name="Waste and Recycling")


@pytest.fixture
def liaison(db):
    return UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")


@pytest.fixture
def other_liaison(db):
    return UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Olly Officer")


@pytest.fixture
def manager(db):
    return UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")


@pytest.fixture
def data_admin(db):
    return UserFactory(role=User.Role.WARD_DATA_ADMIN, full_name="Dana Data")


@pytest.fixture
def owner(db, ward, liaison):
    """The councillor whose cases they are: enrolled in advocacy, Lucy is their liaison officer."""
    return CouncillorFactory(user__full_name="Cllr Owner", ward=ward, advocacy_enrolled=True,
                             liaison_officer=liaison)


@pytest.fixture
def colleague(db, ward):
    """A councillor in the same ward: has no reason to read the owner's cases."""
    return CouncillorFactory(user__full_name="Cllr Colleague", ward=ward, advocacy_enrolled=True)


@pytest.fixture
def unenrolled(db):
    return CouncillorFactory(user__full_name="Cllr Unenrolled", advocacy_enrolled=False)


@pytest.fixture
def case(owner, category):
    return make_case(owner, category=category)


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser (behind its admin_client), with the second factor a superuser needs."""
    return UserFactory(email="admin@example.com", full_name="Admin", role="", is_staff=True, is_superuser=True)


@pytest.fixture
def no_role(db):
    """Signed in, but given no role."""
    return UserFactory(role="", full_name="Technical Account")


@pytest.fixture
def people_in_one_ward(owner, colleague, liaison, manager, data_admin):
    """A user of each role, by name: the owner, their colleague in the same ward, and the staff."""
    return {"councillor": owner.user, "colleague": colleague.user, "liaison": liaison, "manager": manager,
            "data_admin": data_admin}


@pytest.fixture
def councillor_and_staff(owner, liaison, manager, data_admin):
    """A user of each role, by name: the owner (a councillor), a liaison officer, the liaison manager
    and the ward data admin."""
    return {"councillor": owner.user, "liaison": liaison, "manager": manager, "data_admin": data_admin}


@pytest.fixture(autouse=True, scope="session")
def _empty_the_test_queue():
    """Tasks that tests publish on commit have no worker: drop them when the run ends."""
    yield
    from django.conf import settings

    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
    except Exception:  # Redis gone: nothing to tidy
        pass
