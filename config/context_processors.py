from django.urls import reverse

from casework.insight.permissions import can_read_own_report
from casework.permissions import CaseAccess, case_access_for
from wards.permissions import can_manage_reference_data


def navigation(request):
    """The header links for the signed-in user's role; the longest one the path starts with is current."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if user.is_councillor:
        # Case links follow the councillor's term: none once it has ended, read-only in the grace days.
        access = case_access_for(user)
        items.append(("Account", reverse("account:councillor-account")))
        if access != CaseAccess.NONE:
            items.append(("My cases", reverse("casework:my-cases")))
        if access == CaseAccess.HOLDS:
            items.append(("New case", reverse("casework:case-create")))
        if can_read_own_report(user):
            items.append(("My figures", reverse("insight:own")))
    if user.is_liaison:
        items += [("Advocacy queue", reverse("casework:queue")),
                  ("Councillors", reverse("account:supported-councillors")),
                  ("Reports", reverse("insight:team"))]
    if user.is_liaison_manager:
        items += [("Targets", reverse("casework:targets")), ("Advocacy roll-out", reverse("councillors:advocacy")),
                  ("Scheduled jobs", reverse("jobs:list")), ("Audit", reverse("audit:search"))]
    items.append(("Wards", reverse("wards:list")))
    if user.reads_engagement_results:
        items.append(("Engagement", reverse("engagement:list")))
    if user.has_staff_role:
        items += [("People Finder", reverse("wards:people")), ("Ward meetings", reverse("wards:meetings"))]
        items += [("Stories", reverse("stories:list")), ("Learning", reverse("learning:events")),
                  ("Role profile", reverse("councillors:role-profile"))]
    if can_manage_reference_data(user):
        items += [("Councillors", reverse("councillors:list")), ("Data", reverse("dataimport:index"))]
    if user.manages_access:
        items.append(("People and access", reverse("access:people")))
    current = max((url for _, url in items if request.path.startswith(url)), key=len, default=None)
    return {"nav_items": [{"label": label, "url": url, "active": url == current} for label, url in items]}
