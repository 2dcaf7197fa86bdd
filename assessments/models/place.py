"""Place data: SIMD 2020v2 data zones of Glasgow City Region and the geography around them.

Loaded from fixtures/place/ by `manage.py load_place_data` (assessments.place.loading). Read-only
reference data: rows are replaced only when the vendored files change, recorded by PlaceDataVersion.
"""

from django.db import models


class PlaceDataVersion(models.Model):
    """One load of the vendored place files; `content_sha256` hashes all of them together."""

    content_sha256 = models.CharField(max_length=64, unique=True)
    label = models.CharField(
        max_length=100, default="SIMD 2020v2, 2011 data zones, Code-Point Open 2020"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)
    data_zones = models.PositiveIntegerField(default=0)
    postcodes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = ["loaded_at", "id"]

    def __str__(self):
        return f"{self.label} ({self.content_sha256[:12]})"


class IntermediateZone(models.Model):
    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=150)
    council_code = models.CharField(max_length=9, db_index=True)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class SimdFigures(models.Model):
    """One data zone's SIMD ranks and bands, in the columns of the SIMD file: the baseline
    (DataZone) and every later release (DeprivationFigure) hold the same ones."""

    simd_rank = models.PositiveSmallIntegerField()
    decile = models.PositiveSmallIntegerField()
    quintile = models.PositiveSmallIntegerField()
    income_rank = models.DecimalField(max_digits=6, decimal_places=1)
    employment_rank = models.DecimalField(max_digits=6, decimal_places=1)
    health_rank = models.DecimalField(max_digits=6, decimal_places=1)
    education_rank = models.DecimalField(max_digits=6, decimal_places=1)
    access_rank = models.DecimalField(max_digits=6, decimal_places=1)
    crime_rank = models.DecimalField(max_digits=6, decimal_places=1)
    housing_rank = models.DecimalField(max_digits=6, decimal_places=1)
    most_deprived_15pc = models.BooleanField(default=False)

    class Meta:
        abstract = True


class DataZone(SimdFigures):
    """A 2011 data zone. Ranks: 1 is the most deprived of Scotland's 6,976 zones; bands are the
    Scottish Government's unweighted deciles/quintiles (1 = most deprived)."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=150)
    intermediate_zone = models.ForeignKey(
        IntermediateZone, on_delete=models.PROTECT, related_name="data_zones"
    )
    council_code = models.CharField(max_length=9, db_index=True)
    population = models.PositiveIntegerField()
    working_age_population = models.PositiveIntegerField()
    urban_rural = models.PositiveSmallIntegerField(
        help_text="SG 6-fold Urban Rural Classification 2016"
    )
    centroid_lat = models.FloatField()
    centroid_lon = models.FloatField()
    # Simplified outline for the catchment map: a list of polygons, each a list of rings of [lon, lat].
    boundary = models.JSONField(default=list, blank=True)
    neighbours = models.ManyToManyField(
        "self", through="DataZoneNeighbour", symmetrical=False, related_name="+"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class DataZoneNeighbour(models.Model):
    """Two data zones whose simplified boundaries touch; stored in both directions."""

    zone = models.ForeignKey(DataZone, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(DataZone, on_delete=models.CASCADE, related_name="+")
    shared_boundary_m = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "neighbour"], name="datazone_neighbour_unique")
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} touches {self.neighbour_id}"


class Postcode(models.Model):
    """A live postcode (August 2020) and the data zone containing its point (derived, ~96% exact)."""

    postcode = models.CharField(max_length=8, unique=True, help_text='Formatted, e.g. "G40 1AT"')
    postcode_nospace = models.CharField(max_length=7, unique=True)
    sector = models.CharField(max_length=6, db_index=True, help_text='e.g. "G40 1"')
    district = models.CharField(max_length=4, db_index=True, help_text='e.g. "G40"')
    data_zone = models.ForeignKey(DataZone, on_delete=models.CASCADE, related_name="postcodes")
    council_code = models.CharField(max_length=9)

    class Meta:
        ordering = ["postcode"]

    def __str__(self):
        return self.postcode


class DeprivationRelease(models.Model):
    """A later deprivation release (a new SIMD) loaded beside the baseline 2020v2 figures held on
    DataZone. Each release keeps its own figures; loading one never overwrites another, and the
    same file is only ever stored once (`content_sha256`)."""

    label = models.CharField(max_length=60, unique=True, help_text='e.g. "SIMD 2026"')
    year = models.PositiveSmallIntegerField()
    content_sha256 = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    data_zones = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year", "id"]

    def __str__(self):
        return self.label


class DeprivationFigure(SimdFigures):
    """One data zone's figures in a later release: the same columns as the baseline file."""

    release = models.ForeignKey(
        DeprivationRelease, on_delete=models.CASCADE, related_name="figures"
    )
    zone_code = models.CharField(max_length=9)
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["release", "zone_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "zone_code"], name="deprivation_figure_unique"
            )
        ]

    def __str__(self):
        return f"{self.release} {self.zone_code}"
