"""A sensitive case must say which Article 9 condition allows its special category details to be held
(0012 gave every existing sensitive case one)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0012_case_basis_existing_rows"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("sensitive", False), models.Q(("special_category_condition", ""), _negated=True), _connector="OR"
                ),
                name="case_sensitive_has_condition",
            ),
        ),
    ]
