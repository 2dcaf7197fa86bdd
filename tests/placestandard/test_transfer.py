"""A project's Place Standard ratings travel with it in a project export and come back intact."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from assessments.dataops import transfer, transfer_import
from assessments.models import PlaceStandardRating
from tests.factories import make_place_standard, make_project, make_user, start

pytestmark = pytest.mark.django_db


def test_a_place_standard_survives_export_delete_and_import(glasgow):
    pm = make_user("pm.transfer", council=glasgow)
    project = make_project(council=glasgow, reference="GCC-PS-T", stage_code="SBC")
    make_place_standard(start(project, by=pm), community=[3] * 13 + [None], officers=6, by=pm)
    document = json.loads(json.dumps(transfer.export_project(project), cls=DjangoJSONEncoder))
    models = {o["model"] for o in document["objects"]}
    assert {"assessments.placestandardassessment", "assessments.placestandardrating"} <= models

    transfer.delete_project(project)
    assert not PlaceStandardRating.objects.exists()
    imported = transfer_import.import_project(document, user=make_user(is_superuser=True))

    record = imported.assessments.get().place_standard
    assert record.ratings.filter(group="community").count() == 13
    assert record.ratings.get(theme__code="feeling_safe", group="officers").score == 6
