"""Writing a stage's Place Standard exercise: one transaction, the stage row locked, refused
when the stage is signed off or when the form was opened on an older version."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from assessments import permissions
from assessments.enums import FROZEN_STATUSES
from assessments.models import (
    PlaceStandardAssessment,
    PlaceStandardRating,
    PlaceStandardTheme,
    StageAssessment,
)


class PlaceStandardRefused(Exception):
    """The save was refused; the message says why in words for the person saving."""


class StaleEdit(PlaceStandardRefused):
    pass


@dataclass
class Entry:
    """What the form holds, already checked: (theme code, group) -> score or None."""

    held_on: datetime.date
    community_respondents: int
    officer_respondents: int
    notes: str
    ratings: dict[tuple[str, str], int | None]


@transaction.atomic
def save_place_standard(
    assessment: StageAssessment, entry: Entry, *, by, opened_version: int | None
) -> PlaceStandardAssessment:
    """Create or replace the stage's exercise. `opened_version` is the version the form was
    opened on (None for a new one); a save from an older version is refused, never merged."""
    stage = StageAssessment.objects.select_for_update().get(pk=assessment.pk)
    if stage.status in FROZEN_STATUSES:
        raise PlaceStandardRefused(
            "This stage has been signed off, so its Place Standard is fixed."
        )
    if not permissions.can_edit_place_standard(by, stage):
        raise PlaceStandardRefused("You cannot record the Place Standard for this project.")
    record = PlaceStandardAssessment.objects.filter(assessment=stage).first()
    if record is not None and opened_version != record.version:
        raise StaleEdit(
            "Someone else saved this Place Standard while you were editing it. Your changes were "
            "not saved: the page now shows their version; enter your changes again."
        )
    if record is None:
        if opened_version is not None:
            raise StaleEdit("This Place Standard was removed while you were editing it.")
        record = PlaceStandardAssessment(assessment=stage, version=0)
    record.held_on = entry.held_on
    record.community_respondents = entry.community_respondents
    record.officer_respondents = entry.officer_respondents
    record.notes = entry.notes
    record.version += 1
    record.updated_by = by
    record.save()
    theme_ids = dict(PlaceStandardTheme.objects.values_list("code", "id"))
    record.ratings.all().delete()
    PlaceStandardRating.objects.bulk_create(
        [
            PlaceStandardRating(
                place_standard=record, theme_id=theme_ids[code], group=group, score=score
            )
            for (code, group), score in entry.ratings.items()
            if score is not None
        ]
    )
    return record
