"""Seed the resolution outcomes, and record stage outcomes on cases and referrals that already ended
where they can be worked out: the due date and the day the stage ended are both known."""

from django.db import migrations
from django.utils import timezone

OUTCOMES = ["Resolved as asked", "Partly resolved", "Not possible", "Referred elsewhere", "Withdrawn"]


def _target(category, stage, priority):
    prefix = "urgent_" if priority == "urgent" else ""
    return getattr(category, f"{prefix}{stage}_days")


def forwards(apps, schema_editor):
    from casework.sla import WorkingCalendar

    OutcomeCategory = apps.get_model("casework", "OutcomeCategory")
    for position, name in enumerate(OUTCOMES, start=1):
        OutcomeCategory.objects.get_or_create(name=name, defaults={"position": position})
    Case = apps.get_model("casework", "Case")
    Referral = apps.get_model("casework", "Referral")
    ClosureDay = apps.get_model("casework", "ClosureDay")
    calendar = WorkingCalendar(ClosureDay.objects.values_list("date", flat=True))

    def outcome(due, end, target):
        margin = calendar.margin(due, end)
        return end <= due, margin, max(target - margin, 0)

    for referral in Referral.objects.filter(responded_at__isnull=False, response_met__isnull=True).select_related(
            "case__category").iterator(chunk_size=2000):
        end = timezone.localtime(referral.responded_at).date()
        met, margin, _ = outcome(referral.due_date, end, 0)
        days = calendar.between(timezone.localtime(referral.sent_at).date(), end)
        Referral.objects.filter(pk=referral.pk).update(response_met=met, response_margin=margin, response_days=days)
    cases = Case.objects.filter(resolved_at__isnull=False, resolution_due__isnull=False,
                                resolution_met__isnull=True).select_related("category")
    for case in cases.iterator(chunk_size=2000):
        met, margin, days = outcome(case.resolution_due, timezone.localtime(case.resolved_at).date(),
                                    _target(case.category, "resolution", case.priority))
        Case.objects.filter(pk=case.pk).update(resolution_met=met, resolution_margin=margin, resolution_days=days)
    cases = Case.objects.filter(accepted_at__isnull=False, triage_due__isnull=False,
                                triage_met__isnull=True).select_related("category")
    for case in cases.iterator(chunk_size=2000):
        met, margin, days = outcome(case.triage_due, timezone.localtime(case.accepted_at).date(),
                                    _target(case.category, "triage", case.priority))
        Case.objects.filter(pk=case.pk).update(triage_ended_at=case.accepted_at, triage_met=met,
                                               triage_margin=margin, triage_days=days)


class Migration(migrations.Migration):
    dependencies = [("casework", "0018_stage_outcomes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
