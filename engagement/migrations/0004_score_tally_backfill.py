"""Count the responses that were already there into ScoreTally (the triggers count new ones).

The statement is written out here rather than imported, so that this migration keeps doing what it
did when it was written whatever the models later become.
"""
from django.db import migrations

UNPIVOT = "CROSS JOIN LATERAL (VALUES " + ", ".join(f"({n}, r.score_{n})" for n in range(1, 15)) + ") AS s(theme, score)"

BACKFILL = (
    "INSERT INTO engagement_scoretally (exercise_id, age_band, theme, score, responses) "
    "SELECT r.exercise_id, r.age_band, s.theme, s.score, count(*) FROM engagement_response AS r " + UNPIVOT + " "
    "WHERE s.score IS NOT NULL GROUP BY r.exercise_id, r.age_band, s.theme, s.score "
    "ON CONFLICT (exercise_id, age_band, theme, score) DO UPDATE SET responses = EXCLUDED.responses"
)


class Migration(migrations.Migration):

    dependencies = [
        ("engagement", "0003_score_tally"),
    ]

    operations = [
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
