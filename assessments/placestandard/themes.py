"""Loading the 14 Place Standard themes (fixtures/place_standard.json): reference data."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from assessments.models import PlaceStandardTheme

THEME_COUNT = 14


class ThemeFileError(Exception):
    pass


@transaction.atomic
def load_place_standard_themes(directory: Path) -> int:
    """Create or update the themes; returns how many were new. Refuses a file that does not
    hold exactly 14 distinct themes, since the compass and stored ratings depend on them."""
    path = Path(directory) / "place_standard.json"
    if not path.exists():  # a reference folder without the Place Standard (older test sets)
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    themes = data["themes"]
    codes = {t["code"] for t in themes}
    if len(themes) != THEME_COUNT or len(codes) != THEME_COUNT:
        raise ThemeFileError(f"place_standard.json must list {THEME_COUNT} distinct themes.")
    created = 0
    for order, theme in enumerate(themes):
        _, new = PlaceStandardTheme.objects.update_or_create(
            code=theme["code"],
            defaults={"name": theme["name"], "question": theme["question"], "order": order},
        )
        created += new
    return created
