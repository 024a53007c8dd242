"""The Django admin opens for a superuser on every model it lists (no page there is left broken)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from kirklees.users.models import User

from ..factories.kirklees import give_second_factor


@pytest.fixture
def superuser(db):
    root = User.objects.create_superuser(email="root@example.org", password="a-long-password-1",
                                         full_name="Root")
    give_second_factor(root)
    return root


def test_every_admin_list_and_add_page_opens_for_a_superuser(client, superuser):
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(_request(superuser)):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert client.get(add).status_code == 200, add


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
