"""Place data for tests: the real vendored files, loaded on demand and removed after use."""

from assessments.models import DataZone, DataZoneNeighbour, IntermediateZone, PlaceDataVersion, Postcode
from assessments.place_data import load_place_data


def loaded_place_data():
    if not DataZone.objects.exists():
        load_place_data()


def unload_place_data():
    Postcode.objects.all().delete()
    DataZoneNeighbour.objects.all().delete()
    DataZone.objects.all().delete()
    IntermediateZone.objects.all().delete()
    PlaceDataVersion.objects.all().delete()
