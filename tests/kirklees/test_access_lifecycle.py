"""Access follows the facts at once: a deactivated account's sessions stop working on their next
request, and a changed role takes effect on the next request, with no signing out needed."""
from django.urls import reverse

from kirklees.users.models import User


def test_a_deactivated_account_is_signed_out_on_its_next_request(client, liaison):
    client.force_login(liaison)
    assert client.get(reverse("casework:queue")).status_code == 200
    User.objects.filter(pk=liaison.pk).update(is_active=False)

    response = client.get(reverse("casework:queue"))

    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_role_taken_away_stops_working_on_the_next_request(client, liaison):
    client.force_login(liaison)
    assert client.get(reverse("casework:queue")).status_code == 200
    User.objects.filter(pk=liaison.pk).update(role=User.Role.COUNCILLOR)

    assert client.get(reverse("casework:queue")).status_code == 403
