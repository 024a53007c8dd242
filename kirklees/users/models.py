import pgtrigger
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone

from kirklees.audit.tracking import tracked


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: set later from a link
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


# Titles a name may start with; the greeting leaves them out unless only a surname follows.
HONORIFICS = {"cllr", "councillor", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
              "lady", "lord", "rev", "revd", "reverend"}


@tracked(exclude=("password", "last_login"))
class User(AbstractBaseUser, PermissionsMixin):
    """Somebody who logs in. What they may do follows from `role` (see DESIGN.md §2)."""

    class Role(models.TextChoices):
        COUNCILLOR = "councillor", "Councillor"
        LIAISON_OFFICER = "liaison_officer", "Liaison officer"
        LIAISON_MANAGER = "liaison_manager", "Liaison manager"
        WARD_DATA_ADMIN = "ward_data_admin", "Ward data admin"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True,
                            help_text="Empty only for technical accounts such as a superuser.")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    mfa_grace_until = models.DateField(
        null=True, blank=True,
        help_text="A councillor without a second factor may work until this day (set at their first sign-in).")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["councillor", "liaison_officer", "liaison_manager",
                                             "ward_data_admin", ""]),
                name="user_role_valid",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.greeting_name or self.email

    @property
    def greeting_name(self) -> str:
        """The name to greet them by: "Sarah" for "Cllr Sarah Haigh", "Cllr Haigh" for "Cllr Haigh"
        (a title and a surname alone are how that person is addressed), "" when there is no name."""
        words = self.full_name.split()
        given = list(words)
        while given and given[0].rstrip(".").casefold() in HONORIFICS:
            given.pop(0)
        if len(given) >= 2:
            return given[0]
        if len(given) == 1:
            return " ".join(words)  # one name, with its title if it had one
        return ""

    @property
    def is_councillor(self) -> bool:
        return self.role == self.Role.COUNCILLOR

    @property
    def is_liaison(self) -> bool:
        """A member of the Support & Liaison Team: officer or manager."""
        return self.role in (self.Role.LIAISON_OFFICER, self.Role.LIAISON_MANAGER)

    @property
    def is_liaison_manager(self) -> bool:
        return self.role == self.Role.LIAISON_MANAGER

    @property
    def is_ward_data_admin(self) -> bool:
        return self.role == self.Role.WARD_DATA_ADMIN

    # What a role lets a person do, defined once: permission modules ask these, never the roles.

    @property
    def has_staff_role(self) -> bool:
        """Any role at all (or a superuser): may read ward data, stories, learning, the People Finder."""
        return bool(self.role) or self.is_superuser

    @property
    def works_across_wards(self) -> bool:
        """The liaison team and the ward data admin work in every ward; a councillor only in their own."""
        return self.is_liaison or self.is_ward_data_admin or self.is_superuser

    @property
    def manages_reference_data(self) -> bool:
        """Wards, places, figures, services, officers, funding, councillors and data imports."""
        return self.is_ward_data_admin or self.is_superuser

    @property
    def approves_address_changes(self) -> bool:
        """A new address for a service's or officer's referrals, when the new inbox has not confirmed
        it: the liaison managers, who answer for where residents' details go (not superusers)."""
        return self.is_liaison_manager

    @property
    def runs_engagement(self) -> bool:
        """The liaison team plans and runs Place Standard exercises and publishes their results."""
        return self.is_liaison or self.is_superuser

    @property
    def manages_access(self) -> bool:
        """The People and access page: liaison managers, and superusers (who have the admin anyway).
        Which changes each may make is kirklees.users.services.access_change_refusal."""
        return self.is_liaison_manager or self.is_superuser

    @property
    def reads_engagement_results(self) -> bool:
        """Published Place Standard results: the team, and councillors (for any ward)."""
        return self.is_liaison or self.is_councillor or self.is_superuser


class UserSession(AbstractBaseSession):
    """A session, with whose it is and on what device, so that a person can see where they are
    signed in and end any of those sessions (kirklees/users/sessions.py keeps these fields)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")
    device = models.CharField(max_length=300, blank=True, help_text="The browser's own description of itself.")
    signed_in_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="usersession_by_user")]

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


# What decides what a person may reach: changed only by someone else, and each change is told.
ACCESS_FIELDS = ["role", "is_active", "is_staff", "is_superuser"]
ACCESS_LABELS = {"role": "Role", "is_active": "Can sign in", "is_staff": "Can use the admin",
                 "is_superuser": "Superuser"}


def access_shown(name: str, value) -> str:
    """An access field's value in words: "Liaison officer", "No role", "Yes"."""
    if name == "role":
        return User.Role(value).label if value in User.Role.values else (f"“{value}”" if value else "No role")
    return "Yes" if value else "No"


class AccessChange(models.Model):
    """One change to what a person may reach (role, active, admin, superuser), or one attempt that
    was refused and why, or a reset of their second factor. Written only by
    kirklees.users.services (user_access_change, user_second_factor_reset); never edited or deleted
    (the database refuses), so it is the history of who gave whom what."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Access"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACCESS)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_changes")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(help_text="The access fields as they were.")
    after = models.JSONField(help_text="The access fields as asked for (what they became, unless refused).")
    refused = models.TextField(blank=True, help_text="Why the change was refused; empty when it was made.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="accesschange_by_person")]
        triggers = [
            pgtrigger.Protect(name="accesschange_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    @property
    def lines(self) -> list[str]:
        """What was changed (or asked for), a line a field: "Role: Councillor → Liaison officer";
        for a reset, what was removed: "Second factor reset: authenticator app, recovery codes"."""
        if self.kind == self.Kind.SECOND_FACTOR_RESET:
            removed = ", ".join(self.before.get("second_factor") or []) or "none was set up"
            return [f"Second factor reset (removed: {removed}); signed out everywhere"]
        return [f"{ACCESS_LABELS[name]}: {access_shown(name, self.before.get(name))} → "
                f"{access_shown(name, self.after.get(name))}"
                for name in ACCESS_FIELDS if self.before.get(name) != self.after.get(name)]

    def __str__(self):
        return f"{self.person}: {'refused' if self.refused else 'changed'} by {self.by} at {self.at:%Y-%m-%d %H:%M}"
