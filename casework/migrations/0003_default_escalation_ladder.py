"""The default escalation ladder (data; the liaison manager may change it)."""

from django.db import migrations

LADDER = [
    # applies_to, number, wait_days, label, flags
    ("case", 1, 0, "The due date has come: the officer working it is told", {"notify_assigned": True}),
    ("case", 2, 2, "Two working days overdue: the liaison managers are told", {"notify_managers": True}),
    ("referral", 1, 0, "No answer by the due date: the service is chased and the officer told",
     {"chase_service": True, "notify_assigned": True}),
    ("referral", 2, 2, "Two working days without an answer: the liaison managers are told",
     {"notify_managers": True}),
    ("referral", 3, 5, "Five working days without an answer: the head of service is told",
     {"notify_head_of_service": True, "notify_managers": True}),
]


def add_ladder(apps, schema_editor):
    EscalationStep = apps.get_model("casework", "EscalationStep")
    for applies_to, number, wait_days, label, flags in LADDER:
        EscalationStep.objects.get_or_create(
            applies_to=applies_to, number=number, defaults={"wait_days": wait_days, "label": label, **flags}
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_sla_clock_and_escalation")]
    operations = [migrations.RunPython(add_ladder, migrations.RunPython.noop)]
