"""The text each notice has until a liaison manager saves a version of their own.

Kept with the code (texts/<notice>.md, in the notices' markup: markup.py) rather than seeded by a
data migration, so that the pages read right on a fresh database, after a test flushes the tables,
and before anyone has edited them.
"""

import datetime
from functools import cache
from pathlib import Path

# When the default text was written and last reviewed: the pages say "Last updated" this day
# until a manager saves a version.
PREPARED_ON = datetime.date(2026, 12, 4)

TEXTS = Path(__file__).resolve().parent / "texts"


@cache
def default_text(notice: str) -> str:
    return (TEXTS / f"{notice}.md").read_text(encoding="utf-8")
