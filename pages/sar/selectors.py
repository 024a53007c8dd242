from django.db.models import Count, Min

from kirklees.audit.models import ReadRecord

from .models import SubjectAccessRequest


def sars_open_summary() -> dict:
    """How many requests are open and when the next is due: one query, for the managers' panel."""
    found = SubjectAccessRequest.objects.filter(status=SubjectAccessRequest.Status.OPEN).aggregate(
        count=Count("id"), next_due=Min("due_on"))
    return {"open_count": found["count"], "next_due": found["next_due"]}


def sars_for_list(requests):
    """Open requests first (soonest due first), then the answered ones, newest first."""
    return (requests.filter(status=SubjectAccessRequest.Status.OPEN).order_by("due_on", "id"),
            requests.filter(status=SubjectAccessRequest.Status.COMPLETED).order_by("-completed_at", "-id")[:50])


def sar_exports(sar: SubjectAccessRequest):
    """Who downloaded the request's bundle, and when (the audit's own rows)."""
    return ReadRecord.objects.filter(kind=ReadRecord.Kind.SAR_EXPORTED, object_type=sar._meta.label_lower,
                                     object_id=str(sar.pk)).select_related("user").order_by("-at", "-id")[:20]
