"""CSV import and export of ward data (issue 4, item 12): upload → preview → confirm, all or nothing.

Every bad file is refused with a row-numbered report and nothing written; a file imported twice
changes nothing the second time; a preview gone stale is checked again before anything is
written; what is exported imports again unchanged.
"""
import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councillors.models import Councillor, PoliticalGroup
from pages.services import dataimport as services
from pages.importers import IMPORTERS
from kirklees.users.models import User
from wards.models import ImportBatch, Officer, Place, Service, Ward, WardFigure
from wards.services.wards import WARD_COLUMNS

from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import ServiceFactory, WardFactory
from ..helpers import run_at_once

INDEX = reverse("dataimport:index")
ARRANGEMENT_2004 = datetime.date(2004, 6, 10)


# ---------------------------------------------------------------- helpers

def csv_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def upload(client, kind: str, content, name: str = "file.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(INDEX, {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")})


def page(response) -> str:
    return response.content.decode()


def preview(client, kind: str, content, name: str = "file.csv"):
    """Upload a file and follow to its preview; returns (batch, the preview's HTML)."""
    response = upload(client, kind, content, name)
    assert response.status_code == 302, page(response)
    batch = ImportBatch.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    return batch, page(client.get(response.url))


def fingerprint_in(html: str) -> str:
    return re.search(r'name="fingerprint" value="(\w+)"', html).group(1)


def confirm(client, batch, html):
    return client.post(reverse("dataimport:confirm", args=[batch.pk]), {"fingerprint": fingerprint_in(html)})


def import_file(client, kind: str, content):
    """Upload, preview and confirm: what an admin does when the file is right."""
    batch, html = preview(client, kind, content)
    assert "There is a problem" not in html, html
    response = confirm(client, batch, html)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.applied_at is not None
    return batch, html


def snapshot() -> dict:
    """Everything an import could write, counted, and every record's values."""
    return {
        "wards": list(Ward.objects.order_by("pk").values()),
        "places": list(Place.objects.order_by("pk").values()),
        "councillors": list(Councillor.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "email", "full_name", "role")),
        "services": list(Service.objects.order_by("pk").values()),
        "officers": list(Officer.objects.order_by("pk").values()),
        "officer_wards": list(Officer.wards.through.objects.order_by("pk").values()),
        "officer_places": list(Officer.places.through.objects.order_by("pk").values()),
        "figures": list(WardFigure.objects.order_by("pk").values()),
        "applied": ImportBatch.objects.filter(applied_at__isnull=False).count(),
    }


def export(client, kind: str) -> str:
    response = client.get(reverse("dataimport:export", args=[kind]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def admin_client(client, data_admin):
    client.force_login(data_admin)
    return client


@pytest.fixture
def dalton(db):
    return WardFactory(name="Dalton", gss_code="E05001394")


@pytest.fixture
def almondbury(db):
    return WardFactory(name="Almondbury", gss_code="")


@pytest.fixture
def highways(db):
    return ServiceFactory(name="Highways", email="highways@example.org")


# ---------------------------------------------------------------- a good file of each kind

def test_a_wards_file_previews_each_row_then_creates_the_wards(admin_client):
    batch, html = preview(admin_client, "wards", csv_text(
        "name,gss_code,councillors,valid_from,valid_to",
        "Dalton,E05001394,3,2004-06-10,2026-05-07",
        "Almondbury,,3,10/06/2004,07/05/2026",
    ))
    assert "2 to create, 0 to update, 0 unchanged" in html
    assert 'id="row-2"' in html and 'id="row-3"' in html
    assert Ward.objects.count() == 0  # a preview writes nothing
    confirm(admin_client, batch, html)
    dalton = Ward.objects.get(name="Dalton")
    assert (dalton.gss_code, dalton.councillor_seats, dalton.valid_from, dalton.valid_to) == (
        "E05001394", 3, ARRANGEMENT_2004, datetime.date(2026, 5, 7))
    # UK dates are read day first, as people in the UK type them.
    assert Ward.objects.get(name="Almondbury").valid_to == datetime.date(2026, 5, 7)
    batch.refresh_from_db()
    assert batch.report["applied"] == {"create": 2, "update": 0, "unchanged": 0, "error": 0}


def test_the_kirklees_wards_file_imports_through_the_page_as_the_load_wards_command_loads_it(admin_client):
    import_file(admin_client, "wards", (settings.BASE_DIR / "data" / "kirklees_wards_2004.csv").read_bytes())
    uploaded = list(Ward.objects.order_by("name").values_list("name", "gss_code", "councillor_seats", "valid_from",
                                                               "valid_to"))
    assert len(uploaded) == 23
    Ward.objects.all().delete()
    call_command("load_wards", str(settings.BASE_DIR / "data" / "kirklees_wards_2004.csv"))
    assert list(Ward.objects.order_by("name").values_list("name", "gss_code", "councillor_seats", "valid_from",
                                                           "valid_to")) == uploaded


def test_the_wards_import_reads_the_columns_of_the_load_wards_command():
    assert IMPORTERS["wards"].column_names == WARD_COLUMNS


def test_a_places_file_creates_places_in_current_wards(admin_client, dalton):
    import_file(admin_client, "places", csv_text(
        "ward,name,kind",
        "Dalton,Rawthorpe,estate",
        "E05001394,Dalton Bank,Town centre",
        "dalton,Moldgreen,",
    ))
    assert set(Place.objects.values_list("ward__name", "name", "kind")) == {
        ("Dalton", "Rawthorpe", "estate"), ("Dalton", "Dalton Bank", "town_centre"),
        ("Dalton", "Moldgreen", "neighbourhood")}


def test_a_councillors_file_creates_accounts_and_invites_them_only_once_confirmed(
        admin_client, dalton, liaison, django_capture_on_commit_callbacks):
    PoliticalGroup.objects.create(name="Labour", short_name="Lab")
    existing = UserFactory(email="ann.existing@example.org", full_name="Ann Existing", role=User.Role.COUNCILLOR)
    content = csv_text(
        "email,full_name,ward,group,term_start,term_end,liaison_officer_email,advocacy_enrolled,advocacy_enrolled_on",
        f"Sarah.Haigh@Example.org,Sarah Haigh,Dalton,Lab,2024-05-03,2028-05-04,{liaison.email},yes,05/01/2026",
        "ann.existing@example.org,Ann Existing,Dalton,,,,,no,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch, html = preview(admin_client, "councillors", content)
    assert "is emailed a link to set a password when you confirm" in html
    assert "Uses Ann Existing’s existing account" in html
    assert mail.outbox == [] and not User.objects.filter(email="sarah.haigh@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirm(admin_client, batch, html)
    sarah = Councillor.objects.select_related("user", "group").get(user__email="sarah.haigh@example.org")
    assert sarah.user.role == User.Role.COUNCILLOR and not sarah.user.has_usable_password()
    assert (sarah.ward, sarah.group.name, sarah.liaison_officer, sarah.advocacy_enrolled,
            sarah.advocacy_enrolled_on, sarah.term_end) == (
        dalton, "Labour", liaison, True, datetime.date(2026, 1, 5), datetime.date(2028, 5, 4))
    assert Councillor.objects.get(user=existing).advocacy_enrolled is False
    # One invitation, to the new account only, with a link to set a password.
    assert [m.to for m in mail.outbox] == [["sarah.haigh@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_services_file_creates_services_with_emails_in_lower_case(admin_client):
    import_file(admin_client, "services", csv_text(
        "name,email,head_of_service_email,active",
        "Highways,Highways@Example.org,Head.Highways@example.org,yes",
        "Old Depot,depot@example.org,,no",
    ))
    assert set(Service.objects.values_list("name", "email", "head_of_service_email", "is_active")) == {
        ("Highways", "highways@example.org", "head.highways@example.org", True),
        ("Old Depot", "depot@example.org", "", False)}


def test_an_officers_file_creates_officers_with_the_wards_and_places_they_cover(
        admin_client, dalton, almondbury, highways):
    rawthorpe = Place.objects.create(ward=dalton, name="Rawthorpe")
    import_file(admin_client, "officers", csv_text(
        "email,full_name,job_title,service,phone,wards,places,last_confirmed,active",
        "Amir.Khan@example.org,Amir Khan,Highways inspector,highways,01484 221000,Dalton; Almondbury,"
        "Rawthorpe (Dalton),2026-01-15,yes",
        "bea@example.org,Bea Lee,Engineer,Highways,,,,,",
    ))
    amir = Officer.objects.get(email="amir.khan@example.org")
    assert (amir.full_name, amir.service, amir.phone, amir.last_confirmed, amir.is_active) == (
        "Amir Khan", highways, "01484 221000", datetime.date(2026, 1, 15), True)
    assert set(amir.wards.all()) == {dalton, almondbury} and list(amir.places.all()) == [rawthorpe]
    # Nobody has checked a new officer's details just by importing a list: flagged until someone does.
    assert Officer.objects.get(email="bea@example.org").last_confirmed is None


def test_a_profile_figures_file_adds_figures_with_their_source_and_date(admin_client, dalton):
    import_file(admin_client, "figures", csv_text(
        "ward,name,value,unit,source,as_of",
        'Dalton,Population,"17,250",people,ONS mid-year estimates 2023,30/06/2023',
        "Dalton,IMD decile,3,decile,IMD 2019,2019-09-26",
    ))
    population = WardFigure.objects.get(name="Population")
    assert (population.ward, population.value, population.unit, population.as_of) == (
        dalton, Decimal("17250.00"), "people", datetime.date(2023, 6, 30))


GOOD_FILES = {
    "wards": csv_text("name,gss_code,councillors,valid_from,valid_to", "Dalton,E05001394,3,2004-06-10,",
                      "Almondbury,,3,2004-06-10,"),
    "places": csv_text("ward,name,kind", "Dalton,Rawthorpe,estate", "Dalton,Moldgreen,"),
    "councillors": csv_text(
        "email,full_name,ward,group,term_start,term_end,liaison_officer_email,advocacy_enrolled,advocacy_enrolled_on",
        "sarah@example.org,Sarah Haigh,Dalton,Labour,2024-05-03,,liaison@example.org,yes,2026-01-05",
        "imran@example.org,Imran Hussain,Dalton,,,,,no,"),
    "services": csv_text("name,email,head_of_service_email,active", "Highways,highways@example.org,,yes",
                         "Parks,parks@example.org,head.parks@example.org,no"),
    "officers": csv_text("email,full_name,job_title,service,phone,wards,places,last_confirmed,active",
                         "amir@example.org,Amir Khan,Inspector,Highways,01484 221000,Dalton,Rawthorpe,,yes",
                         "bea@example.org,Bea Lee,Engineer,Highways,,,,2026-01-15,no"),
    "figures": csv_text("ward,name,value,unit,source,as_of", "Dalton,Population,17250,people,ONS,2023-06-30",
                        "Dalton,Unemployment,4.5,%,ONS,2023-06-30"),
}


@pytest.fixture
def reference_data(db):
    """What the good files point at."""
    dalton = WardFactory(name="Dalton", valid_from=ARRANGEMENT_2004)
    Place.objects.create(ward=dalton, name="Rawthorpe", kind=Place.Kind.ESTATE)
    ServiceFactory(name="Highways", email="highways@example.org")
    PoliticalGroup.objects.create(name="Labour")
    UserFactory(email="liaison@example.org", full_name="Lucy Liaison", role=User.Role.LIAISON_OFFICER)


@pytest.mark.parametrize("kind", list(GOOD_FILES))
def test_importing_the_same_file_again_shows_every_row_unchanged_and_writes_nothing(
        admin_client, reference_data, kind):
    import_file(admin_client, kind, GOOD_FILES[kind])
    before = snapshot()
    batch, html = import_file(admin_client, kind, GOOD_FILES[kind])
    assert "0 to create, 0 to update, 2 unchanged" in html
    assert html.count(">Unchanged<") == 2
    after = snapshot()
    assert after.pop("applied") == before.pop("applied") + 1
    assert after == before
    assert batch.report["applied"]["unchanged"] == 2 and batch.report["rows"] == []


def test_an_update_is_previewed_as_old_and_new_values_and_then_made(admin_client, highways):
    batch, html = preview(admin_client, "services", csv_text(
        "name,email,head_of_service_email,active", "HIGHWAYS,roads@example.org,,no"))
    assert "0 to create, 1 to update, 0 unchanged" in html
    assert re.search(r"<code>email</code>: highways@example.org .*→.* roads@example.org", html)
    assert re.search(r"<code>active</code>: yes .*→.* no", html)
    confirm(admin_client, batch, html)
    highways.refresh_from_db()
    assert (highways.name, highways.email, highways.is_active) == ("HIGHWAYS", "roads@example.org", False)
    assert Service.objects.count() == 1
    batch.refresh_from_db()
    assert batch.report["rows"][0]["changes"][1] == ["email", "highways@example.org", "roads@example.org"]


def test_an_officers_wards_are_replaced_and_an_empty_last_confirmed_keeps_the_date(
        admin_client, dalton, almondbury, highways):
    officer = Officer.objects.create(full_name="Amir Khan", job_title="Inspector", service=highways,
                                     email="amir@example.org", last_confirmed=datetime.date(2025, 12, 1))
    officer.wards.set([dalton])
    import_file(admin_client, "officers", csv_text(
        "email,full_name,job_title,service,phone,wards,places,last_confirmed,active",
        "amir@example.org,Amir Khan,Inspector,Highways,,Almondbury,,,yes"))
    officer.refresh_from_db()
    assert list(officer.wards.all()) == [almondbury]
    assert officer.last_confirmed == datetime.date(2025, 12, 1)


def test_a_gss_code_can_move_from_one_ward_to_another_in_one_file(admin_client):
    WardFactory(name="Dalton", gss_code="E05001394")
    WardFactory(name="Kirkburton", gss_code="")
    import_file(admin_client, "wards", csv_text(
        "name,gss_code,councillors,valid_from,valid_to",
        "Kirkburton,E05001394,3,2004-06-10,",
        "Dalton,E05001395,3,2004-06-10,"))
    assert dict(Ward.objects.values_list("name", "gss_code")) == {"Kirkburton": "E05001394", "Dalton": "E05001395"}


# ---------------------------------------------------------------- bad files: refused, row by row, nothing written

WARDS_HEADER = "name,gss_code,councillors,valid_from,valid_to"
OFFICERS_HEADER = "email,full_name,job_title,service,phone,wards,places,last_confirmed,active"
COUNCILLORS_HEADER = ("email,full_name,ward,group,term_start,term_end,liaison_officer_email,advocacy_enrolled,"
                      "advocacy_enrolled_on")

ROW_ERRORS = [
    ("wards", csv_text(WARDS_HEADER, "Batley,E05001390,3,2004-06-10,", "Birstall,E0500139X,3,2004-06-10,"),
     "Row 3: gss_code &#x27;E0500139X&#x27; is not an ONS code for a ward"),
    ("wards", csv_text(WARDS_HEADER, "Batley,,3,2004-06-10,", "Batley,,3,2004-06-10,"),
     "Row 3: Batley appears twice (also on row 2)"),
    ("wards", csv_text(WARDS_HEADER, "Batley,,3,2004-06-10,", "Birstall,,3,31/02/2004,"),
     "Row 3: valid_from &#x27;31/02/2004&#x27; is not a date like 2004-06-10 or 10/06/2004"),
    ("wards", csv_text(WARDS_HEADER, "Batley,,3,2004-06-10,", "Birstall,,3,June 2004,"),
     "Row 3: valid_from &#x27;June 2004&#x27; is not a date"),
    ("wards", csv_text(WARDS_HEADER, "Batley,,3,2004-06-10,2003-01-01"), "Row 2: valid_to must be after valid_from"),
    ("wards", csv_text(WARDS_HEADER, "Batley,,many,2004-06-10,"),
     "Row 2: councillors must be a whole number from 1 to 5"),
    ("wards", csv_text(WARDS_HEADER, "Batley,E05001394,3,2004-06-10,"),
     "Row 2: gss_code E05001394 already belongs to Dalton"),
    ("wards", csv_text(WARDS_HEADER, "Batley,E05001390,3,2004-06-10,", "Birstall,E05001390,3,2004-06-10,"),
     "Row 3: gss_code E05001390 is also on row 2"),
    ("wards", csv_text(WARDS_HEADER, "Batley,,3,2004-06-10,", ",,3,2004-06-10,"), "Row 3: name is empty"),
    ("wards", csv_text(WARDS_HEADER, "Batley,,3,2004-06-10,,surplus"),
     "Row 2: there is something in a column with no name in the first row"),
    ("wards", csv_text(WARDS_HEADER + ",", "Batley,,3,2004-06-10,,", "Birstall,,3,2004-06-10,,x"),
     "Row 3: there is something in a column with no name in the first row"),
    ("places", csv_text("ward,name,kind", "Dalton,Rawthorpe,estate", "Daltn,Moldgreen,estate"),
     "Row 3: ward &#x27;Daltn&#x27; is not a current ward (did you mean Dalton?)"),
    ("places", csv_text("ward,name,kind", "Dalton,Rawthorpe,castle"), "Row 2: kind &#x27;castle&#x27; must be one of"),
    ("places", csv_text("ward,name,kind", "Dalton,Rawthorpe,", "DALTON,rawthorpe,"),
     "Row 3: rawthorpe in Dalton appears twice (also on row 2)"),
    ("places", csv_text("ward,name,kind", "Dalton," + "x" * 101 + ","), "Row 2: name must be 100 characters or fewer"),
    ("services", csv_text("name,email,head_of_service_email,active", "Highways,roads at example.org,,maybe"),
     "Row 2: email &#x27;roads at example.org&#x27; is not an email address"),
    ("services", csv_text("name,email,head_of_service_email,active", "Highways,roads@example.org,,maybe"),
     "Row 2: active must be yes or no, not &#x27;maybe&#x27;"),
    ("services", csv_text("name,email,head_of_service_email,active", ",roads@example.org,,"), "Row 2: name is empty"),
    ("officers", csv_text(OFFICERS_HEADER, "amir@example.org,Amir Khan,Inspector,Highway,,,,,"),
     "Row 2: service &#x27;Highway&#x27; is not a council service (did you mean Highways?)"),
    ("officers", csv_text(OFFICERS_HEADER, "amir@example.org,Amir Khan,Inspector,Highways,,Dalton; Nowhere,,,"),
     "Row 2: wards &#x27;Nowhere&#x27; is not a current ward"),
    ("officers", csv_text(OFFICERS_HEADER, "amir@example.org,Amir Khan,Inspector,Highways,12,,,,"),
     "Row 2: phone &#x27;12&#x27; is not a phone number"),
    ("officers", csv_text(OFFICERS_HEADER, "amir@example.org,Amir Khan,Inspector,Highways,,,,2999-01-01,"),
     "Row 2: last_confirmed cannot be in the future"),
    ("officers", csv_text(OFFICERS_HEADER, "amir@example.org,Amir Khan,Inspector,Highways,,,,,",
                          "AMIR@example.org,Amir Khan,Inspector,Highways,,,,,"),
     "Row 3: amir@example.org appears twice (also on row 2)"),
    ("officers", csv_text(OFFICERS_HEADER, "amir@example.org,Amir Khan,Inspector,Highways,,,Nowhere Estate,,"),
     "Row 2: places &#x27;Nowhere Estate&#x27; is not a place in a current ward"),
    ("councillors", csv_text(COUNCILLORS_HEADER, "liaison@example.org,Lucy,Dalton,,,,,no,"),
     "Row 2: email &#x27;liaison@example.org&#x27; is Lucy Liaison’s liaison officer account, not a councillor’s"),
    ("councillors", csv_text(COUNCILLORS_HEADER, "sarah@example.org,Sarah,Dalton,Greens,,,,no,"),
     "Row 2: group &#x27;Greens&#x27; is not a political group"),
    ("councillors", csv_text(COUNCILLORS_HEADER, "sarah@example.org,Sarah,Dalton,,,,manager@example.org,no,"),
     "Row 2: liaison_officer_email &#x27;manager@example.org&#x27; is not the email address of anyone"),
    ("councillors", csv_text(COUNCILLORS_HEADER, "sarah@example.org,Sarah,Dalton,,2028-05-04,2024-05-03,,no,"),
     "Row 2: term_end must be after term_start"),
    ("councillors", csv_text(COUNCILLORS_HEADER, "sarah@example.org,Sarah,Dalton,,,,,no,2026-01-05"),
     "Row 2: advocacy_enrolled_on must be empty when advocacy_enrolled is no"),
    ("councillors", csv_text(COUNCILLORS_HEADER, "sarah@example.org,Sarah,Dalton (from 2026-05-07),,,,,no,"),
     "Row 2: ward &#x27;Dalton (from 2026-05-07)&#x27;: there is no ward of that name starting on that date"),
    ("figures", csv_text("ward,name,value,unit,source,as_of", "Dalton,Population,lots,people,ONS,2023-06-30"),
     "Row 2: value &#x27;lots&#x27; is not a number"),
    ("figures", csv_text("ward,name,value,unit,source,as_of", "Dalton,Population,1.234,people,ONS,2023-06-30"),
     "Row 2: value &#x27;1.234&#x27; has more than 2 decimal places"),
    ("figures", csv_text("ward,name,value,unit,source,as_of", "E05009999,Population,1,people,ONS,2023-06-30"),
     "Row 2: ward &#x27;E05009999&#x27;: no ward has this GSS code"),
    ("figures", csv_text("ward,name,value,unit,source,as_of", "Dalton,Population,1,people,,2999-06-30"),
     "Row 2: as_of must be today or in the past"),
]


@pytest.fixture
def bad_file_world(db, reference_data):
    Ward.objects.filter(name="Dalton").update(gss_code="E05001394")


@pytest.mark.parametrize("kind,content,message", ROW_ERRORS)
def test_a_file_with_a_bad_row_is_previewed_with_the_row_numbered_error_and_cannot_be_confirmed(
        admin_client, bad_file_world, kind, content, message):
    before = snapshot()
    batch, html = preview(admin_client, kind, content)
    assert "There is a problem" in html and "Nothing can be imported from this file until these rows" in html
    assert message in html, html
    assert "Confirm and import" not in html
    # Even a hand-made confirm is refused.
    response = admin_client.post(reverse("dataimport:confirm", args=[batch.pk]), {"fingerprint": "x"})
    assert response.status_code == 302
    assert "some rows now have problems" in page(admin_client.get(response.url))
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_the_error_summary_links_each_message_to_its_row(admin_client, dalton):
    _, html = preview(admin_client, "places", csv_text("ward,name,kind", "Dalton,A,", "Dalton,B,", "Daltn,C,"))
    assert re.search(r'<a href="#row-4">Row 4: ward &#x27;Daltn&#x27; is not a current ward', html)
    assert html.count(">Error<") == 1 and html.count(">Create<") == 2


FILE_ERRORS = [
    ("wrong columns", csv_text("name,code,seats", "Dalton,E05001394,3"),
     ["The columns must be exactly: name, gss_code, councillors, valid_from, valid_to",
      "Column missing: gss_code", "Column missing: valid_from", "Column not expected: code",
      "Column not expected: seats"]),
    ("a column twice", csv_text("name,gss_code,councillors,valid_from,valid_to,name", "Dalton,,3,2004-06-10,,"),
     ["Column named twice: name"]),
    ("no rows", csv_text(WARDS_HEADER), ["The file has no wards in it"]),
    ("nothing at all", b"", ["The file is empty"]),
    ("Windows-1252", csv_text(WARDS_HEADER, "Dalton,,3,2004-06-10,", "Lindley – Salendine Nook,,3,2004-06-10,")
     .encode("cp1252"), ["The file is not UTF-8 text (the first character that is not is on line 3)",
                         "CSV UTF-8 (Comma delimited)"]),
    ("UTF-16", csv_text(WARDS_HEADER, "Dalton,,3,2004-06-10,").encode("utf-16"),
     ["The file is UTF-16 text, not UTF-8", "CSV UTF-8 (Comma delimited)"]),
    ("UTF-16 without its mark", csv_text(WARDS_HEADER, "Dalton,,3,2004-06-10,").encode("utf-16-le"),
     ["The file is not a CSV file", "CSV UTF-8 (Comma delimited)"]),
    ("an Excel workbook", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
     ["The file is an Excel workbook, not a CSV file"]),
    ("a picture", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ["The file is not UTF-8 text"]),
]


@pytest.mark.parametrize("case,content,messages", FILE_ERRORS, ids=[case[0] for case in FILE_ERRORS])
def test_a_file_that_cannot_be_read_is_refused_beside_the_upload_field_and_nothing_is_kept(
        admin_client, case, content, messages):
    before = snapshot()
    response = upload(admin_client, "wards", content)
    assert response.status_code == 200
    html = page(response)
    assert "There is a problem" in html and 'href="#id_file"' in html
    for message in messages:
        assert message in html.replace("&#x27;", "'")
    assert snapshot() == before and ImportBatch.objects.count() == 0


def test_a_file_saved_by_excel_with_a_byte_order_mark_crlf_and_empty_columns_and_rows_is_read(admin_client):
    content = "\ufeff" + csv_text(" Name ,GSS code,Councillors,valid_from,Valid-To,,", "Dalton,,3,2004-06-10,,,",
                                  ",,,,,,", '"Kirkburton, Shepley",,2,2004-06-10,,,').replace("\n", "\r\n")
    _, html = import_file(admin_client, "wards", content.encode("utf-8"))
    assert 'id="row-4"' in html and 'id="row-3"' not in html  # numbered as the spreadsheet shows them
    assert sorted(Ward.objects.values_list("name", flat=True)) == ["Dalton", "Kirkburton, Shepley"]


def test_a_50_mb_file_is_refused_with_a_page_and_nothing_is_stored(admin_client):
    content = (WARDS_HEADER + "\n").encode() + b"Dalton,,3,2004-06-10,\n" * (50 * 1024 * 1024 // 22)
    assert len(content) > 50 * 1024 * 1024 - 64
    response = upload(admin_client, "wards", content, name="huge.csv")
    assert response.status_code == 200
    assert "The file is larger than 5 MB" in page(response)
    assert ImportBatch.objects.count() == 0 and Ward.objects.count() == 0


def test_the_upload_still_checks_the_csrf_token_and_finds_it_after_a_file_that_was_too_big(data_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(data_admin)
    client.get(INDEX)
    token = client.cookies["csrftoken"].value
    big = SimpleUploadedFile("huge.csv", b"x" * (services.MAX_UPLOAD_BYTES + 1))
    assert client.post(INDEX, {"kind": "wards", "file": big}).status_code == 403
    big.seek(0)
    # The token comes after the file in the request: it is still read once the file is dropped.
    response = client.post(INDEX, {"kind": "wards", "file": big, "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "The file is larger than 5 MB" in page(response)


def test_a_file_just_under_the_size_limit_is_read(admin_client):
    row = b"A ward,,3,2004-06-10,\n"
    content = (WARDS_HEADER + "\n").encode() + row * ((services.MAX_UPLOAD_BYTES - 100) // len(row))
    assert services.MAX_UPLOAD_BYTES - len(row) - 100 < len(content) < services.MAX_UPLOAD_BYTES
    html = page(upload(admin_client, "wards", content))
    assert "larger than 5 MB" not in html and "The file has more than 10,000 rows" in html


def test_a_file_with_too_many_rows_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr("pages.importers.planning.MAX_ROWS", 3)
    rows = [f"Ward {n},,3,2004-06-10," for n in range(4)]
    response = upload(admin_client, "wards", csv_text(WARDS_HEADER, *rows))
    assert "The file has more than 3 rows: split it into smaller files" in page(response)
    assert ImportBatch.objects.count() == 0


def test_an_upload_without_a_kind_is_refused_beside_the_field(admin_client):
    response = admin_client.post(INDEX, {"file": SimpleUploadedFile("w.csv", b"name\nx\n")})
    assert response.status_code == 200 and "Choose what the file holds" in page(response)


# ---------------------------------------------------------------- confirming: once, and against today's data

def test_a_batch_is_applied_once_and_a_second_confirm_is_refused(admin_client):
    batch, html = preview(admin_client, "services", GOOD_FILES["services"])
    confirm(admin_client, batch, html)
    batch.refresh_from_db()
    first = (batch.applied_at, batch.report)
    Service.objects.filter(name="Parks").update(email="changed@example.org")
    response = confirm(admin_client, batch, html)
    assert "This file was already imported" in page(admin_client.get(response.url))
    batch.refresh_from_db()
    assert (batch.applied_at, batch.report) == first
    assert Service.objects.get(name="Parks").email == "changed@example.org"  # not put back
    assert Service.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_the_same_moment_apply_the_batch_once(data_admin):
    batch = services.import_upload(by=data_admin, kind="services", file_name="s.csv",
                                   data=GOOD_FILES["services"].encode())
    fingerprint = services.import_preview(batch=batch).fingerprint
    outcomes = []

    def confirm_in_a_thread():
        try:
            services.import_apply(batch=ImportBatch.objects.get(pk=batch.pk), by=data_admin,
                                  fingerprint=fingerprint)
            outcomes.append("applied")
        except services.AlreadyApplied:
            outcomes.append("refused")

    errors = run_at_once(confirm_in_a_thread, confirm_in_a_thread)
    assert sorted(outcomes) == ["applied", "refused"], errors
    assert Service.objects.count() == 2


def test_a_preview_gone_stale_is_checked_again_and_refused_if_a_row_is_now_wrong(admin_client, reference_data):
    batch, html = preview(admin_client, "officers", GOOD_FILES["officers"])
    Service.objects.filter(name="Highways").update(name="Highways and Streets")  # while the admin reads
    before = snapshot()
    response = confirm(admin_client, batch, html)
    after_page = page(admin_client.get(response.url))
    assert "some rows now have problems" in after_page
    assert "Row 2: service &#x27;Highways&#x27; is not a council service" in after_page
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_a_preview_gone_stale_is_refused_if_the_file_would_now_do_something_else_and_the_new_one_applies(
        admin_client, reference_data):
    ServiceFactory(name="Parks", email="parks@example.org", is_active=True)
    batch, html = preview(admin_client, "services", GOOD_FILES["services"])
    assert "0 to create, 1 to update, 1 unchanged" in html
    Service.objects.filter(name="Highways").update(email="someone.else@example.org")
    response = confirm(admin_client, batch, html)
    new_html = page(admin_client.get(response.url))
    assert "the file would now do something different" in new_html
    assert "0 to create, 2 to update, 0 unchanged" in new_html
    assert Service.objects.get(name="Highways").email == "someone.else@example.org"
    confirm(admin_client, batch, new_html)
    assert Service.objects.get(name="Highways").email == "highways@example.org"


def test_a_failure_while_writing_leaves_nothing_written(admin_client, reference_data, monkeypatch):
    batch, html = preview(admin_client, "officers", GOOD_FILES["officers"])
    importer = IMPORTERS["officers"]
    real_write, calls = importer.write, []

    def write_then_fail(row, **kwargs):
        calls.append(row.number)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        real_write(row, **kwargs)

    monkeypatch.setattr(importer, "write", write_then_fail)
    before = snapshot()
    with pytest.raises(RuntimeError):
        confirm(admin_client, batch, html)
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.applied_at is None


# ---------------------------------------------------------------- export, and round trips

@pytest.fixture
def lived_in_data(db):
    """Data as it is after some years: a newer set of wards, places with the same name in two wards,
    a figure for an old ward with no GSS code, mixed-case emails and text a spreadsheet would run."""
    old_dalton = WardFactory(name="Dalton", valid_from=ARRANGEMENT_2004, valid_to=datetime.date(2026, 5, 7))
    old_almondbury = WardFactory(name="Almondbury", valid_from=ARRANGEMENT_2004, gss_code="E05001388",
                                 valid_to=datetime.date(2026, 5, 7))
    dalton = WardFactory(name="Dalton", valid_from=datetime.date(2026, 5, 7), gss_code="E05015000")
    kirkburton = WardFactory(name="Kirkburton", valid_from=datetime.date(2026, 5, 7), councillor_seats=2)
    Place.objects.create(ward=dalton, name="Moldgreen", kind=Place.Kind.NEIGHBOURHOOD)
    Place.objects.create(ward=kirkburton, name="Moldgreen", kind=Place.Kind.VILLAGE)
    fenay = Place.objects.create(ward=old_almondbury, name="Fenay Bridge (lower)", kind=Place.Kind.VILLAGE)
    highways = ServiceFactory(name="Highways", email="highways@example.org", head_of_service_email="h@example.org")
    ServiceFactory(name="=Formula Service", email="f@example.org", is_active=False)
    officer = Officer.objects.create(full_name="Amir Khan", job_title="-Inspector", service=highways,
                                     email="Amir.Khan@example.org", phone="+44 1484 221000",
                                     last_confirmed=datetime.date(2026, 1, 15))
    officer.wards.set([dalton, old_dalton])
    officer.places.set(Place.objects.filter(name="Moldgreen") | Place.objects.filter(pk=fenay.pk))
    WardFigure.objects.create(ward=old_dalton, name="Population", value=Decimal("17250.00"), unit="people",
                              source="Census 2021", as_of=datetime.date(2021, 3, 21))
    WardFigure.objects.create(ward=dalton, name="Unemployment", value=Decimal("4.50"), unit="%",
                              source="ONS", as_of=datetime.date(2026, 1, 1))
    group = PoliticalGroup.objects.create(name="Labour", short_name="Lab")
    liaison = UserFactory(role=User.Role.LIAISON_MANAGER, email="Lucy@Example.org")
    CouncillorFactory(user__email="sarah@example.org", user__full_name="Sarah Haigh", ward=dalton, group=group,
                      liaison_officer=liaison, advocacy_enrolled=True, advocacy_enrolled_on=datetime.date(2026, 1, 5),
                      term_start=datetime.date(2026, 5, 8))
    CouncillorFactory(user__email="old@example.org", ward=old_dalton, advocacy_enrolled=False,
                      term_end=datetime.date(2026, 5, 7))


@pytest.mark.parametrize("kind", list(IMPORTERS))
def test_an_exported_list_imports_again_with_every_row_unchanged(admin_client, lived_in_data, kind):
    exported = export(admin_client, kind)
    before = snapshot()
    batch, html = import_file(admin_client, kind, exported)
    rows = len(exported.strip().splitlines()) - 1
    assert rows > 0 and f"0 to create, 0 to update, {rows} unchanged" in html
    after = snapshot()
    assert after.pop("applied") == before.pop("applied") + 1 and after == before


def test_the_export_has_the_import_columns_and_names_old_wards_so_that_they_can_be_found_again(
        admin_client, lived_in_data):
    figures = export(admin_client, "figures").splitlines()
    assert figures[0] == "ward,name,value,unit,source,as_of"
    assert "Dalton (from 2004-06-10),Population,17250,people,Census 2021,2021-03-21" in figures
    assert "Dalton,Unemployment,4.5,%,ONS,2026-01-01" in figures
    officers = export(admin_client, "officers")
    assert ("amir.khan@example.org,Amir Khan,'-Inspector,Highways,'+44 1484 221000,"
            "Dalton; Dalton (from 2004-06-10),Fenay Bridge (lower) (E05001388); Moldgreen (Dalton); "
            "Moldgreen (Kirkburton),2026-01-15,yes") in officers
    # Formula injection: a cell a spreadsheet would run is quoted.
    assert "'=Formula Service,f@example.org,,no" in export(admin_client, "services")


def test_a_place_name_in_two_current_wards_must_say_which(admin_client, lived_in_data):
    _, html = preview(admin_client, "officers", csv_text(
        OFFICERS_HEADER, "amir.khan@example.org,Amir Khan,Inspector,Highways,,,Moldgreen,,"))
    assert "Row 2: places: there is more than one place called &#x27;Moldgreen&#x27;" in html
    assert "‘Moldgreen (Dalton)’ or ‘Moldgreen (Kirkburton)’" in html


def test_the_template_is_the_columns_and_an_example_row_that_imports(admin_client, dalton):
    response = admin_client.get(reverse("dataimport:template", args=["places"]))
    assert response["Content-Disposition"] == 'attachment; filename="places-template.csv"'
    template = b"".join(response.streaming_content).decode("utf-8-sig")
    assert template.splitlines() == ["ward,name,kind", "Dalton,Rawthorpe,estate"]
    import_file(admin_client, "places", template)
    assert Place.objects.get().name == "Rawthorpe"


# ---------------------------------------------------------------- the data page

def test_the_data_page_documents_every_kind_with_its_columns_template_and_export(admin_client):
    html = page(admin_client.get(INDEX))
    for importer in IMPORTERS.values():
        assert f'id="kind-{importer.kind}">{importer.title}</h3>' in html
        assert reverse("dataimport:template", args=[importer.kind]) in html
        assert reverse("dataimport:export", args=[importer.kind]) in html
        for column in importer.columns:
            assert f"<code>{column.name}</code>" in html
    assert 'enctype="multipart/form-data"' in html


def test_the_data_page_lists_the_last_imports_with_who_when_and_what_changed(admin_client, data_admin):
    import_file(admin_client, "services", GOOD_FILES["services"])
    preview(admin_client, "services", csv_text("name,email,head_of_service_email,active", "X,bad,,"),
            name="broken.csv")
    html = page(admin_client.get(INDEX))
    assert "Last imported: " in html and "file.csv</a> by Dana Data" in html
    assert "2 created, 0 updated, 0 unchanged" in html
    assert "broken.csv" in html and "1 row with problems" in html


def test_the_data_link_is_in_the_header_for_ward_data_admins_only(client, data_admin, liaison):
    client.force_login(data_admin)
    assert f'href="{INDEX}"' in page(client.get(reverse("wards:list")))
    client.force_login(liaison)
    assert f'href="{INDEX}"' not in page(client.get(reverse("wards:list")))


def test_reading_a_preview_takes_the_same_queries_for_5_officers_as_for_50(admin_client, dalton, highways):
    def queries_for(count):
        rows = [f"o{n}@example.org,Officer {n},Inspector,Highways,,Dalton,,," for n in range(count)]
        batch, _ = preview(admin_client, "officers", csv_text(OFFICERS_HEADER, *rows))
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("dataimport:preview", args=[batch.pk])).status_code == 200
        return len(queries)

    assert queries_for(5) == queries_for(50)


# ---------------------------------------------------------------- who may

@pytest.fixture
def councillor_staff_and_superuser(owner, liaison, manager, data_admin, db):
    """A councillor, the liaison officer, manager and ward data admin, and a superuser."""
    return {"councillor": owner.user, "liaison": liaison, "manager": manager, "data admin": data_admin,
            "superuser": UserFactory(email="root@example.org", full_name="Root", role="", is_superuser=True)}


def _pages(batch):
    return [
        ("get", INDEX), ("get", reverse("dataimport:preview", args=[batch.pk])),
        ("get", reverse("dataimport:export", args=["councillors"])),
        ("get", reverse("dataimport:template", args=["officers"])),
    ]


@pytest.mark.parametrize("who,allowed", [("councillor", False), ("liaison", False), ("manager", False),
                                         ("data admin", True), ("superuser", True)])
def test_only_ward_data_admins_and_superusers_may_import_and_export(
        client, councillor_staff_and_superuser, who, allowed):
    batch = services.import_upload(by=councillor_staff_and_superuser["data admin"], kind="services", file_name="s.csv",
                                   data=GOOD_FILES["services"].encode())
    client.force_login(councillor_staff_and_superuser[who])
    for method, url in _pages(batch):
        assert getattr(client, method)(url).status_code == (200 if allowed else 403), url
    response = upload(client, "services", GOOD_FILES["services"])
    assert response.status_code == (302 if allowed else 403)
    response = client.post(reverse("dataimport:confirm", args=[batch.pk]),
                           {"fingerprint": services.import_preview(batch=batch).fingerprint})
    assert response.status_code == (302 if allowed else 403)
    assert Service.objects.exists() is allowed


def test_anonymous_visitors_are_sent_to_sign_in(client, data_admin):
    batch = services.import_upload(by=data_admin, kind="services", file_name="s.csv",
                                   data=GOOD_FILES["services"].encode())
    for method, url in _pages(batch) + [("post", reverse("dataimport:confirm", args=[batch.pk]))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    response = upload(client, "services", GOOD_FILES["services"])
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert ImportBatch.objects.count() == 1 and not Service.objects.exists()


def test_the_services_refuse_anyone_who_may_not_manage_reference_data(liaison, data_admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_upload(by=liaison, kind="services", file_name="s.csv", data=GOOD_FILES["services"].encode())
    batch = services.import_upload(by=data_admin, kind="services", file_name="s.csv",
                                   data=GOOD_FILES["services"].encode())
    with pytest.raises(PermissionDenied):
        services.import_apply(batch=batch, by=liaison, fingerprint="")


def test_an_unknown_kind_is_not_found(admin_client):
    assert admin_client.get(reverse("dataimport:export", args=["cases"])).status_code == 404
    response = upload(admin_client, "cases", GOOD_FILES["services"])
    assert response.status_code == 200 and "Choose what the file holds" in page(response)

