import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from casework.models import Case
from councillors.models import Councillor, RoleProfileVersion
from kirklees.users.models import User
from wards.models import Ward

WARDS_FILE = settings.BASE_DIR / "data" / "kirklees_wards_2004.csv"
HEADER = "name,gss_code,councillors,valid_from,valid_to\n"


def test_the_kirklees_wards_load_and_loading_again_changes_nothing(db, capsys):
    call_command("load_wards", str(WARDS_FILE))
    assert Ward.objects.count() == 23
    almondbury = Ward.objects.get(name="Almondbury")
    assert almondbury.gss_code == "" and str(almondbury.valid_to) == "2026-05-07"
    assert Ward.objects.get(name="Ashbrow").gss_code == "E05001389"
    call_command("load_wards", str(WARDS_FILE))
    assert "0 created, 0 updated, 23 unchanged" in capsys.readouterr().out
    assert Ward.objects.count() == 23


GOOD_ROW = "Almondbury,,3,2004-06-10,\n"


@pytest.mark.parametrize("body,message", [
    ("name,code\nA,B\n", "The columns must be exactly"),
    (HEADER + GOOD_ROW + "Dalton,E0500139X,3,2004-06-10,\n", "Row 3: gss_code 'E0500139X' is not an ONS code"),
    (HEADER + GOOD_ROW + "Dalton,,3,10/06/2004,\n", "Row 3: valid_from '10/06/2004' is not a date"),
    (HEADER + GOOD_ROW + "Dalton,,3,2004-06-10,2003-01-01\n", "Row 3: valid_to must be after valid_from"),
    (HEADER + GOOD_ROW + "Dalton,,3,2004-06-10,\nDalton,,3,2004-06-10,\n", "Row 4: Dalton appears twice"),
    (HEADER + GOOD_ROW + ",,3,2004-06-10,\n", "Row 3: name is empty"),
    (HEADER + GOOD_ROW + "Dalton,,many,2004-06-10,\n", "Row 3: councillors must be a whole number"),
    (HEADER, "The file has no wards in it"),
])
def test_a_bad_ward_file_is_refused_whole_with_row_numbers(db, tmp_path, body, message):
    path = tmp_path / "wards.csv"
    path.write_text(body)
    with pytest.raises(CommandError, match=message):
        call_command("load_wards", str(path))
    assert Ward.objects.count() == 0


def test_a_ward_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = tmp_path / "wards.csv"
    path.write_bytes((HEADER + "Dalton,,3,2004-06-10,\n").encode("utf-16"))
    with pytest.raises(CommandError):
        call_command("load_wards", str(path))
    assert Ward.objects.count() == 0


def test_seed_demo_makes_the_logins_and_cases_and_is_idempotent(db):
    call_command("seed_demo")
    counts = (User.objects.count(), Councillor.objects.count(), Case.objects.count())
    assert Case.objects.count() == 200
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert Case.objects.overdue().active().exists()
    enrolled = Councillor.objects.get(user__email="councillor@example.org")
    assert enrolled.advocacy_enrolled
    assert not Councillor.objects.get(user__email="councillor2@example.org").advocacy_enrolled
    assert User.objects.get(email="dataadmin@example.org").role == User.Role.WARD_DATA_ADMIN
    assert User.objects.get(email="liaison@example.org").check_password("demo-casework-2026")
    # Groups, terms and a published role profile, so that the public pages have something to show.
    assert enrolled.group is not None and enrolled.term_start is not None
    assert RoleProfileVersion.objects.filter(status=RoleProfileVersion.Status.PUBLISHED).exists()
    # One case whose resident asked for updates by email, with one sent.
    [with_updates] = Case.objects.exclude(updates_by="none")
    assert with_updates.updates_by == "email" and with_updates.events.filter(kind="resident_updated").count() == 1
    call_command("seed_demo")
    assert (User.objects.count(), Councillor.objects.count(), Case.objects.count()) == counts
    assert Case.objects.exclude(updates_by="none").count() == 1


def test_a_demo_login_signs_in_with_the_code_make_demo_code_prints(db, client, capsys):
    call_command("seed_demo")
    capsys.readouterr()
    client.post(reverse("account_login"), {"login": "manager@example.org", "password": "demo-casework-2026"})

    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get(reverse("casework:queue")).status_code == 200
    call_command("seed_demo")  # loading again keeps the one authenticator app
    assert User.objects.get(email="manager@example.org").authenticator_set.get().type == "totp"


def test_seed_demo_cases_adds_cases_in_bulk(db):
    call_command("seed_demo", "--cases", "300")
    assert Case.objects.count() == 300
    # Every case has a search document and a timeline that starts with its creation.
    assert not Case.objects.filter(search__isnull=True).exists()
    assert not Case.objects.exclude(events__kind="created").exists()


def test_the_demos_overdue_cases_escalate_on_the_first_sweep(db):
    from casework.escalation import sla_sweep
    from casework.models import CaseEvent
    from kirklees.notifications.models import Notification

    call_command("seed_demo")
    result = sla_sweep()
    assert sum(result.escalations.values()) > 0
    assert CaseEvent.objects.filter(kind__in=["escalated", "service_chased"]).exists()
    for email in ["councillor@example.org", "liaison@example.org", "manager@example.org"]:
        assert Notification.objects.filter(user__email=email, kind="escalation").exists(), email
