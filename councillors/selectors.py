"""Every read the councillors pages list."""
from django.db.models import Count, Prefetch

from .models import AdvocacyRollout, Councillor, PoliticalGroup, RoleProfileStep, RoleProfileVersion


def councillors_for_list():
    return Councillor.objects.select_related("user", "ward", "group", "liaison_officer").order_by(
        "user__full_name", "pk")


def political_groups_with_counts():
    return PoliticalGroup.objects.annotate(councillor_count=Count("councillors")).order_by("name")


def pilot_cohort():
    """The councillors enrolled in the advocacy pilot, those who joined earliest first."""
    return Councillor.objects.filter(advocacy_enrolled=True).select_related("user", "ward").order_by(
        "advocacy_enrolled_on", "user__full_name")


def advocacy_rollout() -> AdvocacyRollout:
    """The roll-out's one row, with who last changed it (unsaved if no one ever has)."""
    return AdvocacyRollout.objects.select_related("changed_by").filter(id=1).first() or AdvocacyRollout(id=1)


def _steps():
    return Prefetch("steps", queryset=RoleProfileStep.objects.select_related("by").order_by("at", "id"))


def role_profile_versions():
    return RoleProfileVersion.objects.select_related("created_by").prefetch_related(_steps()).order_by("-number")


def role_profile_version(number: int) -> RoleProfileVersion:
    return role_profile_versions().get(number=number)


def published_role_profile() -> RoleProfileVersion | None:
    """The newest published version, with the step that published it (for its date)."""
    version = RoleProfileVersion.objects.filter(status=RoleProfileVersion.Status.PUBLISHED).order_by(
        "-number").first()
    if version is not None:
        step = version.steps.filter(status=RoleProfileVersion.Status.PUBLISHED).only("at").first()
        version.published_at = step.at if step else None
    return version


def newest_role_profile() -> RoleProfileVersion | None:
    return RoleProfileVersion.objects.order_by("-number").first()


def role_profile_version_before(number: int) -> RoleProfileVersion | None:
    return RoleProfileVersion.objects.filter(number__lt=number).order_by("-number").only("number").first()


def role_profile_versions_to_compare():
    """Every version, newest first, with just what the comparison page's lists show."""
    return RoleProfileVersion.objects.order_by("-number").only("number", "title", "status")


def role_profile_texts(numbers: list[int]) -> dict[int, str]:
    return dict(RoleProfileVersion.objects.filter(number__in=numbers).values_list("number", "body"))
