"""How a CSV file names wards, places and the other records it points at, both ways.

A ward is named by its name, meaning the ward of that name in the newest set of wards (the one
new work is filed against), or by its GSS code, or, for a ward of an earlier set that has no
code, as "Almondbury (from 2004-06-10)". The export writes the first of these that fits, so that
a file exported and imported again names the same wards. A place is "Rawthorpe" when the name is
unique among the newest wards' places, and "Rawthorpe (Dalton)" always works.

Everything is read once per import, in a fixed number of queries, whatever the file's size.
"""
import difflib
import re
from functools import cached_property

from django.contrib.auth import get_user_model

from councillors.models import PoliticalGroup
from kirklees.csvfiles import GSS_WARD_CODE, parse_date
from wards.models import Place, Service, Ward

User = get_user_model()

DATED_WARD = re.compile(r"^(?P<name>.+?)\s*\((?:from\s+)?(?P<date>[0-9/-]+)\)$", re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _did_you_mean(text: str, names) -> str:
    close = difflib.get_close_matches(text, sorted(set(names)), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


class References:
    """The records an import may point at. Methods return (record, None) or (None, the problem)."""

    @cached_property
    def wards(self) -> list[Ward]:
        return list(Ward.objects.order_by("name", "-valid_from"))

    @cached_property
    def latest_ward_ids(self) -> set[int]:
        newest = max((w.valid_from for w in self.wards), default=None)
        return {w.pk for w in self.wards if w.valid_from == newest}

    @cached_property
    def _latest_by_name(self) -> dict[str, Ward]:
        return {_key(w.name): w for w in self.wards if w.pk in self.latest_ward_ids}

    @cached_property
    def _by_gss(self) -> dict[str, Ward]:
        return {w.gss_code: w for w in self.wards if w.gss_code}

    @cached_property
    def _by_name_and_date(self) -> dict[tuple, Ward]:
        return {(_key(w.name), w.valid_from): w for w in self.wards}

    def ward(self, text: str, *, column: str = "ward") -> tuple[Ward | None, str | None]:
        text = " ".join(text.split())
        if GSS_WARD_CODE.match(text.upper()):
            ward = self._by_gss.get(text.upper())
            return (ward, None) if ward else (None, f"{column} '{text}': no ward has this GSS code")
        dated = DATED_WARD.match(text)
        if dated:
            day = parse_date(dated["date"], uk=True)
            ward = self._by_name_and_date.get((_key(dated["name"]), day)) if day else None
            if ward:
                return ward, None
            return None, f"{column} '{text}': there is no ward of that name starting on that date"
        ward = self._latest_by_name.get(_key(text))
        if ward:
            return ward, None
        names = [w.name for w in self._latest_by_name.values()]
        return None, f"{column} '{text}' is not a current ward{_did_you_mean(text, names)}"

    def ward_name(self, ward: Ward) -> str:
        """How a file names `ward` (see the module's docstring)."""
        if ward.pk in self.latest_ward_ids:
            return ward.name
        return ward.gss_code or f"{ward.name} (from {ward.valid_from.isoformat()})"

    @cached_property
    def wards_by_id(self) -> dict[int, Ward]:
        return {w.pk: w for w in self.wards}

    @cached_property
    def places(self) -> list[Place]:
        places = list(Place.objects.order_by("name", "pk"))
        for place in places:  # the wards are already here: no query per place
            place.ward = self.wards_by_id[place.ward_id]
        return places

    @cached_property
    def _places_by_ward(self) -> dict[tuple, Place]:
        return {(p.ward_id, _key(p.name)): p for p in self.places}

    @cached_property
    def _current_places_by_name(self) -> dict[str, list[Place]]:
        """Places in current wards by name: a look-up per row, not a scan of every place."""
        by_name = {}
        for place in self.places:
            if place.ward_id in self.latest_ward_ids:
                by_name.setdefault(_key(place.name), []).append(place)
        return by_name

    def place(self, text: str, *, column: str = "places") -> tuple[Place | None, str | None]:
        text = " ".join(text.split())
        # "Name (Ward)": try every bracket, since place names may have brackets of their own.
        for match in re.finditer(r" \(", text):
            if not text.endswith(")"):
                break
            name, ward_text = text[:match.start()], text[match.end():-1]
            ward, _ = self.ward(ward_text)
            place = self._places_by_ward.get((ward.pk, _key(name))) if ward else None
            if place:
                return place, None
        found = self._current_places_by_name.get(_key(text), [])
        if len(found) == 1:
            return found[0], None
        if found:
            wards = " or ".join(sorted(f"‘{text} ({p.ward.name})’" for p in found))
            return None, f"{column}: there is more than one place called '{text}': write {wards}"
        names = [p.name for p in self.places if p.ward_id in self.latest_ward_ids]
        return None, f"{column} '{text}' is not a place in a current ward{_did_you_mean(text, names)}"

    def place_name(self, place: Place) -> str:
        return f"{place.name} ({self.ward_name(self.wards_by_id.get(place.ward_id, place.ward))})"

    @cached_property
    def _services(self) -> dict[str, Service]:
        return {_key(s.name): s for s in Service.objects.all()}

    def service(self, text: str, *, column: str = "service") -> tuple[Service | None, str | None]:
        service = self._services.get(_key(text))
        if service:
            return service, None
        names = [s.name for s in self._services.values()]
        return None, f"{column} '{text}' is not a council service{_did_you_mean(text, names)}"

    @cached_property
    def _groups(self) -> dict[str, PoliticalGroup]:
        groups = {}
        for group in PoliticalGroup.objects.all():
            if group.short_name:
                groups.setdefault(_key(group.short_name), group)
            groups[_key(group.name)] = group
        return groups

    def group(self, text: str, *, column: str = "group") -> tuple[PoliticalGroup | None, str | None]:
        group = self._groups.get(_key(text))
        if group:
            return group, None
        names = [g.name for g in self._groups.values()]
        return None, (f"{column} '{text}' is not a political group{_did_you_mean(text, names)}: "
                      "add the group first (Councillors > Political groups)")

    @cached_property
    def users(self) -> dict[str, User]:
        """Every account by lower-case email. Staff accounts number in the hundreds, not more."""
        return {u.email.lower(): u for u in User.objects.only("pk", "email", "full_name", "role", "is_active")}

    def liaison_officer(self, email: str, *, column: str) -> tuple[User | None, str | None]:
        user = self.users.get(email.lower())
        if user is None:
            return None, f"{column} '{email}' is not the email address of anyone who can sign in"
        if user.role not in (User.Role.LIAISON_OFFICER, User.Role.LIAISON_MANAGER):
            return None, f"{column} '{email}' is not a liaison officer's account"
        return user, None
