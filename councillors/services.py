"""Every change to councillors, political groups, the advocacy roll-out and the role profile."""
import datetime

from django.db import transaction
from django.utils import timezone

from kirklees.permissions import require
from kirklees.refusals import InvalidTransition, Refused
from kirklees.users.models import User
from kirklees.users.services import user_invite

from . import permissions
from .models import AdvocacyRollout, Councillor, PoliticalGroup, RoleProfileStep, RoleProfileVersion


class RolloutError(Refused):
    """The roll-out cannot change that way (for example, it has already happened)."""


class RoleProfileError(InvalidTransition):
    """The role profile version is not in a state that allows this."""


# ---------------------------------------------------------------- political groups and councillors

@transaction.atomic
def political_group_create(*, by, name: str, short_name: str = "") -> PoliticalGroup:
    require(permissions.can_manage_reference_data(by))
    return PoliticalGroup.objects.create(name=name, short_name=short_name)


@transaction.atomic
def political_group_update(*, by, group: PoliticalGroup, name: str, short_name: str = "") -> PoliticalGroup:
    require(permissions.can_manage_reference_data(by))
    group.name, group.short_name = name, short_name
    group.save(update_fields=["name", "short_name"])
    return group


COUNCILLOR_FIELDS = ("ward", "group", "term_start", "term_end", "liaison_officer", "advocacy_enrolled",
                     "advocacy_enrolled_on")


@transaction.atomic
def councillor_create(*, by, email: str, full_name: str, **fields) -> Councillor:
    """A new councillor (after an election, say): their record and, if they have none, an account.

    The account is made the only way accounts are made (user_invite): no password, and an email
    with a link to set one, sent once this has committed.
    """
    require(permissions.can_manage_reference_data(by))
    unknown = set(fields) - set(COUNCILLOR_FIELDS)
    if unknown:
        raise TypeError(f"Not a councillor field: {', '.join(sorted(unknown))}")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_invite(email=email, full_name=" ".join(full_name.split()), role=User.Role.COUNCILLOR)
    elif user.role != User.Role.COUNCILLOR:
        raise Refused("That email address belongs to someone who is not a councillor", field="email")
    elif Councillor.objects.filter(user=user).exists():
        raise Refused("There is already a councillor with that email address", field="email")
    if not fields.get("advocacy_enrolled"):
        fields["advocacy_enrolled_on"] = None
    return Councillor.objects.create(user=user, **fields)


@transaction.atomic
def councillor_update(*, by, councillor: Councillor, **changes) -> Councillor:
    require(permissions.can_manage_reference_data(by))
    unknown = set(changes) - set(COUNCILLOR_FIELDS)
    if unknown:
        raise TypeError(f"Not a councillor field: {', '.join(sorted(unknown))}")
    if not changes.get("advocacy_enrolled", councillor.advocacy_enrolled):
        changes["advocacy_enrolled_on"] = None  # a start date means nothing without the enrolment
    for name, value in changes.items():
        setattr(councillor, name, value)
    councillor.save(update_fields=list(changes))
    return councillor


# ---------------------------------------------------------------- advocacy roll-out

def _locked_rollout() -> AdvocacyRollout:
    AdvocacyRollout.objects.get_or_create(id=1)
    return AdvocacyRollout.objects.select_for_update().get(id=1)


@transaction.atomic
def advocacy_rollout_schedule(*, by, rolled_out_on: datetime.date) -> AdvocacyRollout:
    """Open advocacy to every councillor from `rolled_out_on` (today or later)."""
    require(permissions.can_manage_advocacy_rollout(by))
    today = timezone.localdate()
    rollout = _locked_rollout()
    if rollout.is_rolled_out(today):
        raise RolloutError("Advocacy has already been rolled out to every councillor.")
    if rolled_out_on < today:
        raise RolloutError("The roll-out date must be today or in the future.")
    rollout.rolled_out_on, rollout.changed_by, rollout.changed_at = rolled_out_on, by, timezone.now()
    rollout.save(update_fields=["rolled_out_on", "changed_by", "changed_at"])
    return rollout


@transaction.atomic
def advocacy_rollout_cancel(*, by) -> AdvocacyRollout:
    """Undo a roll-out that has not started yet; once the day has come it stays."""
    require(permissions.can_manage_advocacy_rollout(by))
    rollout = _locked_rollout()
    if rollout.rolled_out_on is None:
        raise RolloutError("No roll-out is planned.")
    if rollout.is_rolled_out(timezone.localdate()):
        raise RolloutError("Advocacy has already been rolled out, so it can no longer be undone.")
    rollout.rolled_out_on, rollout.changed_by, rollout.changed_at = None, by, timezone.now()
    rollout.save(update_fields=["rolled_out_on", "changed_by", "changed_at"])
    return rollout


# ---------------------------------------------------------------- role profile

@transaction.atomic
def role_profile_draft_create(*, by, title: str, body: str, summary_of_changes: str = "") -> RoleProfileVersion:
    """A new draft numbered one after the newest version."""
    require(permissions.can_manage_role_profile(by))
    # Lock the newest version so that two managers saving at once take consecutive numbers; the
    # unique number is the last guard (the very first version has no row to lock).
    newest = RoleProfileVersion.objects.select_for_update().order_by("-number").first()
    version = RoleProfileVersion.objects.create(
        number=(newest.number + 1) if newest else 1, title=title, body=body,
        summary_of_changes=summary_of_changes, created_by=by,
    )
    RoleProfileStep.objects.create(version=version, status=RoleProfileVersion.Status.DRAFT, by=by,
                                   at=version.created_at)
    return version


@transaction.atomic
def role_profile_draft_update(*, by, version: RoleProfileVersion, title: str, body: str,
                              summary_of_changes: str = "") -> RoleProfileVersion:
    require(permissions.can_manage_role_profile(by))
    updated = RoleProfileVersion.objects.filter(pk=version.pk, status=RoleProfileVersion.Status.DRAFT).update(
        title=title, body=body, summary_of_changes=summary_of_changes)
    if updated != 1:
        raise RoleProfileError(f"{version} is no longer a draft, so it cannot be changed.")
    version.refresh_from_db()
    return version


@transaction.atomic
def role_profile_advance(*, by, version: RoleProfileVersion, to: str) -> RoleProfileVersion:
    """Move a version one step on, to `to`, which must be the next step after where it is now.

    Naming the step the user saw on the page (rather than "whatever comes next") means a double
    click, or two managers at once, moves it one step only: the second finds it already there.
    """
    require(permissions.can_manage_role_profile(by))
    locked = RoleProfileVersion.objects.select_for_update().get(pk=version.pk)
    expected = RoleProfileVersion.next_status(locked.status)
    if expected is None:
        raise RoleProfileError(f"{locked} is already published.")
    if to != expected:
        raise RoleProfileError(
            f"{locked} is now ‘{locked.get_status_display()}’; the next step is "
            f"‘{RoleProfileVersion.Status(expected).label}’.")
    locked.status = to
    locked.save(update_fields=["status"])
    RoleProfileStep.objects.create(version=locked, status=to, by=by)
    return locked
