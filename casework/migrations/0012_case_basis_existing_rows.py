"""Existing cases get a capacity, an Article 6 basis and (when sensitive) an Article 9 condition, so
that none is blank: set-based, one UPDATE per rule, however many cases there are.

- capacity: advocacy for a case the Support & Liaison Team holds, otherwise ward councillor (every
  case so far was recorded by a councillor for a resident who asked them);
- Article 6 basis: the one recorded for the resident (the only basis the app recorded until now);
- Article 9 condition of a sensitive case: DPA 2018 Schedule 1 paragraph 23 (elected representatives
  responding to requests), the default for ward casework;
- when the basis was recorded: when the case was created (its basis was the resident's then).

Going back leaves the columns as 0011 adds them (nothing to undo: 0011's reverse drops them).
"""

from django.db import migrations

FORWARD = [
    "UPDATE casework_case SET capacity = 'advocacy' WHERE advocacy AND capacity <> 'advocacy'",
    """UPDATE casework_case c SET lawful_basis = r.lawful_basis, basis_recorded_at = c.created_at
         FROM casework_resident r
        WHERE r.id = c.resident_id""",
    """UPDATE casework_case SET special_category_condition = 'elected_representative'
        WHERE sensitive AND special_category_condition = ''""",
]


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0011_case_basis_and_referral_consent"),
    ]

    operations = [migrations.RunSQL(sql, reverse_sql=migrations.RunSQL.noop) for sql in FORWARD]
