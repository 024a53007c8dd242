"""Addresses already in the People Finder before confirmation existed are where referrals went:
they count as confirmed."""
from django.db import migrations
from django.db.models import F


def existing_addresses_confirmed(apps, schema_editor):
    apps.get_model("wards", "Service").objects.update(
        confirmed_email=F("email"), confirmed_head_of_service_email=F("head_of_service_email"))
    apps.get_model("wards", "Officer").objects.update(confirmed_email=F("email"))


class Migration(migrations.Migration):
    dependencies = [("wards", "0004_email_change")]

    operations = [migrations.RunPython(existing_addresses_confirmed, migrations.RunPython.noop)]
