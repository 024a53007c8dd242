"""Every model change has its migration (what `makemigrations --check` asks, inside `make test`)."""

from django.core.management import call_command


def test_no_model_change_is_missing_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero if one is missing
