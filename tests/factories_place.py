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


def make_zone(code: str, *, quintile: int, population: int) -> DataZone:
    """One made-up data zone in SIMD `quintile` with `population` residents: enough for the
    deprivation profile and the deprived-area share without loading the whole region."""
    area, _ = IntermediateZone.objects.get_or_create(
        code="S02999999", defaults={"name": "Test intermediate zone", "council_code": "S12000049"})
    rank = {1: 100, 2: 2000, 3: 3500, 4: 5000, 5: 6500}[quintile]
    ranks = {f"{domain}_rank": rank for domain in
             ("income", "employment", "health", "education", "access", "crime", "housing")}
    return DataZone.objects.create(
        code=code, name=f"Test zone {code}", intermediate_zone=area, council_code="S12000049",
        population=population, working_age_population=population // 2, simd_rank=rank,
        decile=quintile * 2 - 1, quintile=quintile, most_deprived_15pc=quintile == 1,
        urban_rural=1, centroid_lat=55.85, centroid_lon=-4.2, **ranks)


def catchment_62_percent_in_quintile_1() -> list[str]:
    """Two test zones: 620 of their 1,000 residents live in SIMD quintile 1."""
    make_zone("S01999991", quintile=1, population=620)
    make_zone("S01999992", quintile=3, population=380)
    return ["S01999991", "S01999992"]
