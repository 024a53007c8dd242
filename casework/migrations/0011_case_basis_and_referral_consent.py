"""Issue 13: in which capacity each case is held, its Article 6 basis and Article 9 condition, and the
resident's consent to share per referral. Existing rows are filled in by 0012; a sensitive case's
condition becomes required in 0013, once they are."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0010_caseevent_no_truncate"),
        ("councillors", "0002_politicalgroup_roleprofilestep_roleprofileversion_and_more"),
        ("wards", "0005_existing_addresses_confirmed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="basis_recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="case",
            name="capacity",
            field=models.CharField(
                choices=[
                    ("ward_councillor", "Ward councillor"),
                    ("council_member", "Member of the council"),
                    ("advocacy", "Advocacy by the council's Support & Liaison Team"),
                ],
                default="ward_councillor",
                max_length=20,
                verbose_name="held by",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="lawful_basis",
            field=models.CharField(
                choices=[
                    ("public_task", "Public task (the councillor's role as an elected member)"),
                    ("consent", "The resident consented"),
                    ("vital_interests", "Vital interests (someone's safety is at risk)"),
                    ("legal_obligation", "A legal obligation"),
                ],
                default="public_task",
                max_length=20,
                verbose_name="Article 6 basis",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="special_category_condition",
            field=models.CharField(
                blank=True,
                choices=[
                    (
                        "elected_representative",
                        "Elected representative responding to a request (DPA 2018, Schedule 1, paragraph 23)",
                    ),
                    ("explicit_consent", "Explicit consent (Article 9(2)(a))"),
                    ("vital_interests", "Vital interests (Article 9(2)(c))"),
                    ("safeguarding", "Safeguarding a child or an adult at risk (DPA 2018, Schedule 1, paragraph 18)"),
                    ("legal_claims", "Legal claims (Article 9(2)(f))"),
                ],
                help_text="Required for a sensitive case: what allows its special category details to be held.",
                max_length=30,
                verbose_name="Article 9 condition",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="consent_recorded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="consent_recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="resident_agreed",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="the resident agreed to share this with the service"
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Case created"),
                    ("edited", "Details changed"),
                    ("referred_to_advocacy", "Referred to the advocacy service"),
                    ("accepted", "Accepted by the advocacy service"),
                    ("declined", "Declined by the advocacy service"),
                    ("info_requested", "Information requested from the resident"),
                    ("info_received", "Information received from the resident"),
                    ("referred_to_service", "Referred to a council service"),
                    ("response_recorded", "Service response recorded"),
                    ("resolved", "Resolved"),
                    ("closed", "Resolution confirmed and case closed"),
                    ("reopened", "Reopened"),
                    ("withdrawn", "Withdrawn"),
                    ("assigned", "Assigned"),
                    ("note_added", "Note added"),
                    ("attachment_added", "File added"),
                    ("viewed_sensitive", "Sensitive case viewed"),
                    ("reminder_sent", "Reminder sent"),
                    ("escalated", "Escalated"),
                    ("service_chased", "Service chased"),
                    ("referral_emailed", "Referral emailed"),
                    ("ward_changed", "Ward changed by a boundary change"),
                    ("meeting_action_linked", "Linked to a ward meeting action"),
                    ("basis_changed", "How the case is held changed"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="lawful_basis",
            field=models.CharField(
                choices=[
                    ("public_task", "Public task (the councillor's role as an elected member)"),
                    ("consent", "The resident consented"),
                    ("vital_interests", "Vital interests (someone's safety is at risk)"),
                    ("legal_obligation", "A legal obligation"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity__in", ["ward_councillor", "council_member", "advocacy"])),
                name="case_capacity_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("lawful_basis__in", ["public_task", "consent", "vital_interests", "legal_obligation"])
                ),
                name="case_lawful_basis_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "special_category_condition__in",
                        [
                            "",
                            "elected_representative",
                            "explicit_consent",
                            "vital_interests",
                            "safeguarding",
                            "legal_claims",
                        ],
                    )
                ),
                name="case_special_category_condition_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("resident_agreed__isnull", True),
                    models.Q(("consent_recorded_at__isnull", False), ("consent_recorded_by__isnull", False)),
                    _connector="OR",
                ),
                name="referral_consent_recorded_with_who_and_when",
            ),
        ),
    ]
