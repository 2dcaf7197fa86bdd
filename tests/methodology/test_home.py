"""The methodology owners' home: theirs alone, and where they land after signing in."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.enums import Role
from assessments.models import Council, Membership
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_methodology_owner_lands_on_the_method_page(client):
    client.force_login(make_user("method.owner", role=Role.METHODOLOGY_OWNER))
    response = client.get(reverse("assessments:my-work"))
    assert response.status_code == 302
    assert response.url == reverse("assessments:methodology-home")
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"The method" in page.content


@pytest.mark.parametrize("role", [r for r in Role if r != Role.METHODOLOGY_OWNER])
def test_nobody_else_opens_the_method_page(client, role, reference):
    council = None if role == Role.PMO_VIEWER else Council.objects.first()
    client.force_login(make_user(council=council, role=role))
    assert client.get(reverse("assessments:methodology-home")).status_code == 403


def test_a_system_administrator_is_not_a_methodology_owner(client):
    client.force_login(make_user("root.admin", is_staff=True, is_superuser=True))
    assert client.get(reverse("assessments:methodology-home")).status_code == 403


def test_methodology_owner_is_regional_and_holds_no_council():
    user = make_user("method.council")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, council=None, role=Role.REVIEWER)
    Membership.objects.create(user=user, council=None, role=Role.METHODOLOGY_OWNER)
