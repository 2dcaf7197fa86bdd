"""Place before and after in everyday words, for the community panel: no index names to decode,
no zone codes, no numbers beyond "about 6 in 10"."""

from __future__ import annotations

from assessments.place.comparison import place_comparison
from assessments.placestandard import queries

RELATIVE_PLAIN = (
    "Rankings of areas compare each place with the rest of Scotland, so a change in ranking "
    "does not on its own mean life there got better or worse."
)


def plain_place_change(assessment) -> list[str]:
    """What the panel is told at this stage: deprivation then and (if loaded) later, and how
    local people rated the place, never using a later stage's ratings."""
    comparison = place_comparison(assessment.project)
    points = [
        p
        for p in queries.project_points(assessment.project)
        if p.record.assessment.stage.order <= assessment.stage.order
    ]
    lines = list(comparison.plain) if comparison.located else []
    return lines + queries.compass_view(points).plain
