import re

from django.core.exceptions import ValidationError

# A UK postcode: outward code (area, district) and inward code (sector, unit).
POSTCODE = re.compile(r"^(GIR0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?[0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """`hd12ta` -> `HD1 2TA`; raises ValidationError if it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not POSTCODE.match(compact):
        raise ValidationError("Enter a real postcode, like HD1 2TA", code="postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_phone(value: str) -> str:
    """A UK phone number, kept as typed but tidied; 10 or 11 digits (or +44 and 10 digits)."""
    tidy = re.sub(r"[\s\-()]", "", value or "")
    if tidy.startswith("+44"):
        digits = "0" + tidy[3:]
    else:
        digits = tidy
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise ValidationError("Enter a UK phone number, like 01484 221000 or 07700 900 982", code="phone")
    return " ".join(value.split())
