"""Reading a score or a postcode district the same way wherever it is typed: the public survey,
the paper-entry grid and CSV imports all refuse the same things with the same words."""
import re

from .models import SCORE_MAX, SCORE_MIN

SCORE_ERROR = f"Enter a whole number from {SCORE_MIN} to {SCORE_MAX}, or leave it blank"
# The outward code of a UK postcode: HD8, WF13, LS1, M1, EC1A. Letters, a digit, one more optional.
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
POSTCODE_DISTRICT_ERROR = "Enter the first part of a postcode only, like HD8 or WF13"


def parse_score(value) -> int | None:
    """A score from 1 to 7, or None for a skipped theme (blank). ValueError for anything else."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not text.isdigit() or not SCORE_MIN <= int(text) <= SCORE_MAX:
        raise ValueError(SCORE_ERROR)
    return int(text)


def parse_postcode_district(value) -> str:
    """"hd8" → "HD8"; "" stays blank. A full postcode is refused rather than cut: it is more than
    we asked for, and the person should know we did not keep it."""
    text = "".join(str(value or "").split()).upper()
    if text and not POSTCODE_DISTRICT.match(text):
        raise ValueError(POSTCODE_DISTRICT_ERROR)
    return text
