"""Ward boundary changes: move open work from one set of wards to the next, as previewed.

It lives here, at the top, because it changes three apps at once (DESIGN.md §3): open cases
(casework), places and priorities and officers' coverage (wards). Closed work keeps its historic
ward: a case closed in 2025 stays in the ward it was in.

An admin maps every old ward to a *main* new ward (where its open work goes) and, when the old
ward was split, to the other new wards it now overlaps (officers who covered it cover those too).
Each place of a split ward can be sent to any of them; a case or priority tied to a place follows
its place.
"""
import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case as When_, Count, F, IntegerField, Value, When
from django.utils import timezone

from casework.models import ACTIVE_STATUSES, Case, CaseEvent
from kirklees.db import insert_rows
from kirklees.refusals import Refused
from wards.models import BoundaryChange, Officer, Place, Priority, Ward

OPEN_PRIORITY_STATUSES = [Priority.Status.PROPOSED, Priority.Status.ACTIVE]


class BoundaryChangeError(Refused):
    """The change cannot be made as previewed (made already, a problem in the mapping, or open
    work changed since the preview); nothing was moved."""


@dataclass
class Arrangements:
    old: list[Ward]
    new: list[Ward]

    @property
    def effective_on(self) -> datetime.date:
        return self.new[0].valid_from


def arrangements() -> Arrangements | None:
    """The newest set of wards and the one before it, or None if only one set has been loaded."""
    dates = list(Ward.objects.order_by("-valid_from").values_list("valid_from", flat=True).distinct()[:2])
    if len(dates) < 2:
        return None
    wards = list(Ward.objects.filter(valid_from__in=dates).order_by("name"))
    return Arrangements(old=[w for w in wards if w.valid_from == dates[1]],
                        new=[w for w in wards if w.valid_from == dates[0]])


def boundary_change_done(effective_on: datetime.date) -> BoundaryChange | None:
    return BoundaryChange.objects.filter(effective_on=effective_on).select_related("made_by").first()


@dataclass
class Mapping:
    """Old ward id → main new ward id; old ward id → other new ward ids; place id → new ward id."""

    main: dict[int, int]
    also: dict[int, list[int]] = field(default_factory=dict)
    places: dict[int, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"main": {str(k): v for k, v in self.main.items()},
                "also": {str(k): sorted(v) for k, v in self.also.items() if v},
                "places": {str(k): v for k, v in self.places.items()}}


def _target_expression(mapping: Mapping, place_targets: dict[int, int]):
    """SQL CASE giving each row's new ward: its place's new ward if it has one, else its ward's main."""
    whens = [When(place_id=place, then=Value(ward)) for place, ward in place_targets.items()]
    whens += [When(ward_id=old, then=Value(new)) for old, new in mapping.main.items()]
    return When_(*whens, output_field=IntegerField())


def _place_targets(mapping: Mapping) -> dict[int, int]:
    """Every place in an old ward goes somewhere: where the admin said, else with its ward."""
    targets = {}
    for place_id, ward_id in Place.objects.filter(ward_id__in=mapping.main).values_list("pk", "ward_id"):
        targets[place_id] = mapping.places.get(place_id) or mapping.main[ward_id]
    return targets


def boundary_preview(*, mapping: Mapping) -> dict:
    """What would move, counted per old ward, in a fixed number of queries. JSON-ready."""
    old_ids = list(mapping.main)
    names = dict(Ward.objects.filter(pk__in=old_ids + [w for ws in mapping.also.values() for w in ws]
                                     + list(mapping.main.values())).values_list("pk", "name"))
    place_targets = _place_targets(mapping)
    target = _target_expression(mapping, place_targets)

    moves: dict[int, dict] = {old: {"cases": defaultdict(int), "priorities": defaultdict(int)} for old in old_ids}
    case_rows = (Case.objects.filter(ward_id__in=old_ids, status__in=ACTIVE_STATUSES)
                 .values("ward_id").annotate(to=target, n=Count("pk")).values_list("ward_id", "to", "n"))
    for old, to, n in case_rows:
        moves[old]["cases"][to] += n
    priority_rows = (Priority.objects.filter(ward_id__in=old_ids, status__in=OPEN_PRIORITY_STATUSES)
                     .values("ward_id").annotate(to=target, n=Count("pk")).values_list("ward_id", "to", "n"))
    for old, to, n in priority_rows:
        moves[old]["priorities"][to] += n
    officers = dict(Officer.wards.through.objects.filter(ward_id__in=old_ids)
                    .values("ward_id").annotate(n=Count("officer_id")).values_list("ward_id", "n"))
    places = defaultdict(list)
    problems = []
    taken = {(ward_id, name.lower()) for ward_id, name in
             Place.objects.filter(ward_id__in=set(place_targets.values())).values_list("ward_id", "name")}
    for place in Place.objects.filter(ward_id__in=old_ids).order_by("name"):
        to = place_targets[place.pk]
        places[place.ward_id].append({"place": place.name, "to": names[to]})
        if (to, place.name.lower()) in taken:
            problems.append(f"{names[to]} already has a place called {place.name}: rename one of them first")
        taken.add((to, place.name.lower()))

    wards = []
    for old in sorted(old_ids, key=lambda pk: names[pk]):
        wards.append({
            "old": names[old],
            "main": names[mapping.main[old]],
            "also": sorted(names[w] for w in mapping.also.get(old, [])),
            "cases": {names[to]: n for to, n in sorted(moves[old]["cases"].items())},
            "priorities": {names[to]: n for to, n in sorted(moves[old]["priorities"].items())},
            "officers": officers.get(old, 0),
            "places": places[old],
        })
    return {
        "problems": problems,
        "wards": wards,
        "totals": {
            "cases": sum(sum(w["cases"].values()) for w in wards),
            "priorities": sum(sum(w["priorities"].values()) for w in wards),
            "officers": len(set(Officer.wards.through.objects.filter(ward_id__in=old_ids)
                                .values_list("officer_id", flat=True))),
            "places": sum(len(w["places"]) for w in wards),
        },
    }


def preview_fingerprint(report: dict) -> str:
    return hashlib.sha256(json.dumps(report, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def boundary_change_apply(*, mapping: Mapping, effective_on: datetime.date, fingerprint: str,
                          by) -> BoundaryChange:
    """Move open work exactly as previewed, or nothing at all.

    The old wards are locked first, so nothing can be filed against them meanwhile; if the work
    to move differs from what the admin saw (a case was opened since), refuse and ask for a new
    preview rather than move something they did not agree to.
    """
    if BoundaryChange.objects.filter(effective_on=effective_on).exists():
        raise BoundaryChangeError("This boundary change has already been made.")
    old_ids = list(mapping.main)
    list(Ward.objects.select_for_update().filter(pk__in=old_ids))
    report = boundary_preview(mapping=mapping)
    if report["problems"]:
        raise BoundaryChangeError(report["problems"][0])
    if preview_fingerprint(report) != fingerprint:
        raise BoundaryChangeError("Open work in these wards has changed since the preview. "
                                  "Check the new preview, then confirm again.")
    now = timezone.now()
    place_targets = _place_targets(mapping)
    target = _target_expression(mapping, place_targets)
    names = dict(Ward.objects.values_list("pk", "name"))

    # The timeline first (it records the ward each case had), then the cases themselves.
    moving = list(Case.objects.filter(ward_id__in=old_ids, status__in=ACTIVE_STATUSES)
                  .annotate(to=target).values_list("pk", "ward_id", "to"))
    insert_rows(CaseEvent, ["case_id", "kind", "actor_id", "created_at", "text", "from_status", "to_status"], [
        (pk, CaseEvent.Kind.WARD_CHANGED, by.pk, now,
         f"Ward changed from {names[old]} to {names[to]} (boundary change of {effective_on:%-d %B %Y})", "", "")
        for pk, old, to in moving
    ])
    # Bump the version: an edit form opened before the change must not put the old ward back.
    Case.objects.filter(pk__in=[pk for pk, _, _ in moving]).update(
        ward_id=target, version=F("version") + 1, updated_at=now)
    Priority.objects.filter(ward_id__in=old_ids, status__in=OPEN_PRIORITY_STATUSES).update(
        ward_id=target, updated_at=now)
    # Places move after the rows that follow them have read where they go.
    if place_targets:
        Place.objects.filter(pk__in=place_targets).update(ward_id=When_(
            *[When(pk=place, then=Value(ward)) for place, ward in place_targets.items()],
            output_field=IntegerField()))

    through = Officer.wards.through
    covering = list(through.objects.filter(ward_id__in=old_ids).values_list("officer_id", "ward_id"))
    through.objects.bulk_create(
        [through(officer_id=officer, ward_id=new)
         for officer, old in covering for new in [mapping.main[old], *mapping.also.get(old, [])]],
        ignore_conflicts=True,
    )
    through.objects.filter(ward_id__in=old_ids).delete()
    Ward.objects.filter(pk__in=old_ids, valid_to__isnull=True).update(valid_to=effective_on)

    return BoundaryChange.objects.create(made_by=by, made_at=now, effective_on=effective_on,
                                         mapping=mapping.as_json(), report=report)
