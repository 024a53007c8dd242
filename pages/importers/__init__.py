"""One importer per kind of file, in the order the data page lists them."""
from django.http import Http404

from .base import Importer
from .councillors import CouncillorImporter
from .figures import FigureImporter
from .officers import OfficerImporter
from .places import PlaceImporter
from .services import ServiceImporter
from .wards import WardImporter

IMPORTERS: dict[str, Importer] = {
    importer.kind: importer
    for importer in (WardImporter(), PlaceImporter(), CouncillorImporter(), ServiceImporter(), OfficerImporter(),
                     FigureImporter())
}


def importer_for(kind: str) -> Importer:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise Http404(f"No import of that kind: {kind}") from None
