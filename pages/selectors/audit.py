"""What the audit search's filters mean in the service's terms: the rows of a case, of a resident.

Found through the audit tables themselves, so a case or resident that was deleted, or renamed,
is still found by what it was."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper

# A resident search that matches more than this is too vague to be useful; the page says so.
RESIDENTS_AT_MOST = 50


def _audit(model: str):
    return apps.get_model("casework", f"{model}Audit")


def _ids(model: str, **lookup) -> set[int]:
    return set(_audit(model).objects.filter(**lookup).values_list("pgh_obj_id", flat=True).distinct())


def _case_rows(case_ids: set[int], resident_ids: set[int]) -> dict[str, set]:
    return {
        "casework.case": case_ids,
        "casework.resident": resident_ids,
        "casework.referral": _ids("Referral", case_id__in=case_ids),
        "casework.note": _ids("Note", case_id__in=case_ids),
        "casework.attachment": _ids("Attachment", case_id__in=case_ids),
    }


def rows_of_case(reference: str) -> dict[str, set]:
    case_ids = _ids("Case", reference__iexact=reference)
    residents = set(_audit("Case").objects.filter(pgh_obj_id__in=case_ids)
                    .values_list("resident_id", flat=True).distinct())
    return _case_rows(case_ids, residents)


def rows_of_residents(text: str) -> tuple[dict[str, set], bool]:
    """The rows of the residents whose name (now or once) contains `text`, or whose postcode is it,
    and of all their cases; and whether more residents matched than are searched."""
    postcode = text.upper().replace(" ", "")
    matched = _audit("Resident").objects.annotate(
        bare_postcode=Replace(Upper("postcode"), Value(" "), Value(""))).filter(
        Q(full_name__icontains=text) | Q(bare_postcode=postcode))
    residents = list(matched.values_list("pgh_obj_id", flat=True).distinct()[:RESIDENTS_AT_MOST + 1])
    too_many = len(residents) > RESIDENTS_AT_MOST
    resident_ids = set(residents[:RESIDENTS_AT_MOST])
    return _case_rows(_ids("Case", resident_id__in=resident_ids), resident_ids), too_many


def both(first: dict[str, set] | None, second: dict[str, set]) -> dict[str, set]:
    """Rows in both scopes (None: no scope yet, everything)."""
    if first is None:
        return second
    return {key: first.get(key, set()) & ids for key, ids in second.items()}


def person_id(email: str) -> int | None:
    return get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True).first()
