import pytest
from django.contrib.auth import get_user_model

from assessments.dataops.reference_data import load_reference_data
from assessments.models import Council
from tests.factories import Team


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data (councils, stages, groups, determinants, question bank,
    rule set) once into the test database."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference(db):
    """Reference data for tests; reloaded if a transactional test flushed it."""
    if not Council.objects.exists():
        load_reference_data()


@pytest.fixture
def ref(reference):
    """Reference data (short name used by the review, workflow and community tests)."""


@pytest.fixture
def team(ref):
    """One council's people in every role, and a second council's (see factories.Team)."""
    return Team()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def glasgow(reference):
    return Council.objects.get(code="S12000049")


@pytest.fixture
def renfrewshire(reference):
    return Council.objects.get(code="S12000038")


@pytest.fixture
def client_for(client):
    """Return a test client signed in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def anonymous_user():
    return get_user_model()()


@pytest.fixture(autouse=True)
def _api_rate_limit_out_of_the_way(settings):
    """The API's per-account rate limit counts in the cache, which outlives a test while user ids
    are reused; tests of the limit itself lower it and clear the cache."""
    settings.CHIIA_API_REQUESTS_PER_MINUTE = 1_000_000
