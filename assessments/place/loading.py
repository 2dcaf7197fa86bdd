"""Loading the vendored place data (fixtures/place/*.gz) into the database.

Idempotent: the files are hashed together, and a load whose hash is already recorded in
PlaceDataVersion (with its rows still present) does nothing. A changed file replaces every
place row in one transaction. Projects store data zone codes, not foreign keys, so replacing
the rows never touches project data.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from assessments.models import (
    DataZone,
    DataZoneNeighbour,
    IntermediateZone,
    PlaceDataVersion,
    Postcode,
)

FILES = (
    "datazones.csv.gz",
    "intermediate_zones.csv.gz",
    "adjacency.csv.gz",
    "postcodes.csv.gz",
    "boundaries.geojson.gz",
)
BATCH = 2000


def place_dir() -> Path:
    return Path(getattr(settings, "CHIIA_PLACE_DIR", settings.BASE_DIR / "fixtures" / "place"))


@dataclass
class PlaceLoadReport:
    loaded: bool
    version: PlaceDataVersion

    def summary(self) -> str:
        what = "loaded" if self.loaded else "already loaded, nothing to do"
        return (
            f"Place data {what}: {self.version.data_zones} data zones, {self.version.postcodes} postcodes "
            f"(version {self.version.content_sha256[:12]})."
        )


def _csv(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8"))))


def _outline(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _sector(postcode: str) -> str:
    outward, inward = postcode.split(" ")
    return f"{outward} {inward[0]}"


def load_place_data(directory: Path | None = None, *, force: bool = False) -> PlaceLoadReport:
    directory = Path(directory or place_dir())
    raw = {name: (directory / name).read_bytes() for name in FILES}
    digest = hashlib.sha256(b"".join(hashlib.sha256(raw[n]).digest() for n in FILES)).hexdigest()
    existing = PlaceDataVersion.objects.filter(content_sha256=digest).first()
    if existing and not force and DataZone.objects.count() == existing.data_zones:
        return PlaceLoadReport(loaded=False, version=existing)
    with transaction.atomic():
        version = _replace_all(raw, digest)
    return PlaceLoadReport(loaded=True, version=version)


def _replace_all(raw: dict[str, bytes], digest: str) -> PlaceDataVersion:
    Postcode.objects.all().delete()
    DataZoneNeighbour.objects.all().delete()
    DataZone.objects.all().delete()
    IntermediateZone.objects.all().delete()

    IntermediateZone.objects.bulk_create(
        [
            IntermediateZone(
                code=r["iz_code"],
                name=r["iz_name"],
                council_code=r["council_code"],
                population=int(r["total_population"]),
            )
            for r in _csv(raw["intermediate_zones.csv.gz"])
        ],
        batch_size=BATCH,
    )
    iz_ids = dict(IntermediateZone.objects.values_list("code", "id"))
    outlines = {
        f["properties"]["dz_code"]: _outline(f["geometry"])
        for f in json.loads(gzip.decompress(raw["boundaries.geojson.gz"]))["features"]
    }
    zones = _csv(raw["datazones.csv.gz"])
    DataZone.objects.bulk_create(
        [
            DataZone(
                code=r["dz_code"],
                name=r["dz_name"],
                intermediate_zone_id=iz_ids[r["iz_code"]],
                council_code=r["council_code"],
                population=int(r["total_population"]),
                working_age_population=int(r["working_age_population"]),
                simd_rank=int(r["simd_rank"]),
                decile=int(r["simd_decile"]),
                quintile=int(r["simd_quintile"]),
                income_rank=Decimal(r["income_domain_rank"]),
                employment_rank=Decimal(r["employment_domain_rank"]),
                health_rank=Decimal(r["health_domain_rank"]),
                education_rank=Decimal(r["education_domain_rank"]),
                access_rank=Decimal(r["access_domain_rank"]),
                crime_rank=Decimal(r["crime_domain_rank"]),
                housing_rank=Decimal(r["housing_domain_rank"]),
                most_deprived_15pc=r["most_deprived_15pc"] == "1",
                urban_rural=int(r["urban_rural_6fold_2016"]),
                centroid_lat=float(r["centroid_lat"]),
                centroid_lon=float(r["centroid_lon"]),
                boundary=outlines.get(r["dz_code"], []),
            )
            for r in zones
        ],
        batch_size=500,
    )
    dz_ids = dict(DataZone.objects.values_list("code", "id"))
    _insert(
        DataZoneNeighbour,
        ["zone_id", "neighbour_id", "shared_boundary_m"],
        (
            (
                dz_ids[r["dz_code"]],
                dz_ids[r["neighbour_dz_code"]],
                int(float(r["shared_boundary_m"] or 0)),
            )
            for r in _csv(raw["adjacency.csv.gz"])
        ),
    )
    council_of = {r["dz_code"]: r["council_code"] for r in zones}
    postcodes = _csv(raw["postcodes.csv.gz"])
    _insert(
        Postcode,
        ["postcode", "postcode_nospace", "sector", "district", "data_zone_id", "council_code"],
        (
            (
                r["postcode"],
                r["postcode"].replace(" ", ""),
                _sector(r["postcode"]),
                r["postcode"].split(" ")[0],
                dz_ids[r["dz_code"]],
                council_of[r["dz_code"]],
            )
            for r in postcodes
        ),
    )
    version, _ = PlaceDataVersion.objects.update_or_create(
        content_sha256=digest, defaults={"data_zones": len(zones), "postcodes": len(postcodes)}
    )
    return version


def _insert(model, columns: list[str], rows) -> None:
    """Rows of plain values saved with bulk_create. Hand-written multi-row INSERTs were measured
    faster (the full load 0.8-1.1 s against 2.4-2.7 s on SQLite, 2.2-2.6 s against 3.4-3.5 s on
    PostgreSQL), but the load runs once per data release, so Django's own path wins."""
    model.objects.bulk_create(
        (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=BATCH
    )
