from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.core.exceptions import ValidationError

from kirklees.users.models import User
from kirklees.users.services import user_invite


class Command(BaseCommand):
    help = "Create an account and email its owner a link to set their password."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("full_name")
        parser.add_argument("role", choices=User.Role.values)

    def handle(self, *args, email, full_name, role, **options):
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an email address") from exc
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} already has an account")
        user = user_invite(email=email, full_name=full_name, role=role)
        self.stdout.write(f"Invited {user.email} as {user.get_role_display()}")
