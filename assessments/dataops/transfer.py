"""Whole-project JSON export and import between CHIIA instances.

The export starts from the project and collects every object that points at it, directly or
through other collected objects, discovered from the models' reverse relations, plus the
simple_history versions of each of them; it keeps only the project's own records (PROJECT_MODELS).
Objects refer to each other by stable references ("assessments.answer#3" is the project's 4th
answer in primary key order), so exporting the same content twice gives the same document
whatever the primary keys are. Reference data (councils, stages, questions, rule sets...) and
people are referred to by natural keys, and the question bank, rule set and place data versions
are listed so the receiving instance can check it holds the same ones. Many-to-many links (an
indicator's answers, actions and population groups) are written on the record as lists of the
same kinds of reference.

The import (assessments.dataops.transfer_import) treats the file as untrusted input and recreates only
the project's own records. Published report PDFs and report jobs are not carried: this instance
makes its own.
"""

from __future__ import annotations

import base64
import datetime
import functools
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

FORMAT = "chiia-project"
# 2: the header names the exporting instance; only the project's own records are written.
# 3: outcome indicators and their measurements, with their many-to-many links (answers and
#    actions by reference, population groups by code).
FORMAT_VERSION = 3

# The project's own records: the only kinds an export writes and an import creates (with the
# version history of those that keep one). Everything else is refused on import.
PROJECT_MODELS = (
    "assessments.capitalproject",
    "assessments.stageassessment",
    "assessments.assessmentsection",
    "assessments.answer",
    "assessments.answergroup",
    "assessments.action",
    "assessments.statuschange",
    "assessments.reviewverdict",
    "assessments.ratingoverride",
    "assessments.flagjustification",
    "assessments.actionplanacceptance",
    "assessments.consultationwindow",
    "assessments.communitycomment",
    "assessments.commentreply",
    "assessments.determinantrating",
    "assessments.assessmentflag",
    "assessments.placestandardassessment",
    "assessments.placestandardrating",
    "assessments.indicator",
    "assessments.measurement",
    # Not MonitoringReminder: it records which emails this instance sent, so a receiving
    # instance starts its own reminders afresh rather than believing it already sent some.
)

# An import lists at most this many problems with a file, then says how many more there are.
MAX_PROBLEMS_SHOWN = 50


class TransferError(Exception):
    """The file cannot be imported. `problems` lists every reason, one sentence each."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            extra = len(self.problems) - MAX_PROBLEMS_SHOWN
            self.problems = [*self.problems[:MAX_PROBLEMS_SHOWN], f"… and {extra} more problems."]
        super().__init__("\n".join(self.problems))


# Natural keys of reference data (never exported as objects; must exist on the receiving side).
NATURAL_KEYS = {
    "assessments.council": ("code",),
    "assessments.lifecyclestage": ("code",),
    "assessments.determinant": ("code",),
    "assessments.populationgroup": ("code",),
    "assessments.questionbank": ("version",),
    "assessments.ruleset": ("version",),
    "assessments.question": ("bank__version", "code"),
    "assessments.placestandardtheme": ("code",),
    "contenttypes.contenttype": ("app_label", "model"),
}


def _label(model) -> str:
    return model._meta.label_lower


def _history_model(model):
    manager = getattr(model, "history", None)
    return (
        getattr(manager, "model", None)
        if manager is not None and hasattr(manager, "model")
        else None
    )


def _is_history(model) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


@functools.cache
def importable() -> frozenset[str]:
    """PROJECT_MODELS and their version-history models."""
    labels = set(PROJECT_MODELS)
    for label in PROJECT_MODELS:
        history = _history_model(apps.get_model(label))
        if history is not None:
            labels.add(_label(history))
    return frozenset(labels)


def _reverse_relations(model):
    for rel in model._meta.get_fields():
        is_reverse = rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
        if is_reverse and not _is_history(rel.related_model):
            yield rel


def collect(project) -> dict[type[models.Model], list[models.Model]]:
    """Every object reachable from the project through reverse relations, by model, in pk order."""
    project = type(project)._default_manager.get(pk=project.pk)  # as stored, not as in memory
    seen: dict[type[models.Model], dict[int, models.Model]] = defaultdict(dict)
    seen[type(project)][project.pk] = project
    frontier = [(type(project), [project.pk])]
    while frontier:
        model, pks = frontier.pop()
        for rel in _reverse_relations(model):
            related = rel.related_model
            found = related._default_manager.filter(**{f"{rel.field.name}__in": pks})
            new = [obj for obj in found if obj.pk not in seen[related]]
            for obj in new:
                seen[related][obj.pk] = obj
            if new:
                frontier.append((related, [obj.pk for obj in new]))
    collected = {model: [objs[pk] for pk in sorted(objs)] for model, objs in seen.items()}
    for model in list(collected):
        history = _history_model(model)
        if history is not None:
            ids = [obj.pk for obj in collected[model]]
            collected[history] = list(history.objects.filter(id__in=ids).order_by("history_id"))
    return collected


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    return value


class _Keys:
    """Object <-> reference translation for one export."""

    def __init__(self, collected: dict[type, list]):
        self.refs: dict[tuple[str, object], str] = {}
        for model, objs in collected.items():
            for i, obj in enumerate(objs):
                self.refs[(_label(model), obj.pk)] = f"{_label(model)}#{i}"
        self.tracked = {  # history model label -> tracked model label
            _label(_history_model(model)): _label(model)
            for model in collected
            if _history_model(model) is not None
        }
        # (model label, pk) -> the natural-key values read for it, of whatever types the fields have
        self.cache: dict[tuple[str, object], list[Any]] = {}

    def key(self, target_model, pk):
        if pk is None:
            return None
        label = _label(target_model)
        ref = self.refs.get((label, pk))
        if ref:
            return {"ref": ref}
        if target_model is get_user_model():
            return {"user": self._natural(target_model, pk, (target_model.USERNAME_FIELD,))[0]}
        if label in NATURAL_KEYS:
            return {"natural": [label, *self._natural(target_model, pk, NATURAL_KEYS[label])]}
        # A history row pointing at an object deleted before the export.
        return {"missing": label}

    def _natural(self, model, pk, fields):
        cache_key = (_label(model), pk)
        if cache_key not in self.cache:
            row = model._default_manager.filter(pk=pk).values_list(*fields).first()
            if row is None:
                raise TransferError(f"{_label(model)} {pk} is referred to but does not exist")
            self.cache[cache_key] = list(row)
        return self.cache[cache_key]


def _serialise(obj, keys: _Keys) -> dict:
    model = type(obj)
    fields = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            fields[field.name] = keys.key(field.related_model, getattr(obj, field.attname))
        elif _is_history(model) and field.name == "id":
            fields["id"] = keys.key(apps.get_model(keys.tracked[_label(model)]), obj.id)
        else:
            fields[field.name] = _plain(field.value_from_object(obj))
    for field in model._meta.many_to_many:
        targets = sorted(field.value_from_object(obj), key=lambda o: o.pk)
        fields[field.name] = [keys.key(field.related_model, target.pk) for target in targets]
    return fields


def export_project(project) -> dict:
    from assessments.models import PlaceDataVersion

    collected = {
        model: objs for model, objs in collect(project).items() if _label(model) in importable()
    }
    keys = _Keys(collected)
    objects = []
    for model in sorted(collected, key=_label):
        for i, obj in enumerate(collected[model]):
            objects.append(
                {
                    "model": _label(model),
                    "ref": f"{_label(model)}#{i}",
                    "fields": _serialise(obj, keys),
                }
            )
    users = sorted(
        {tuple(v) for (label, _), v in keys.cache.items() if label == _label(get_user_model())}
    )
    User = get_user_model()
    people = [
        {
            "username": u.username,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "email": u.email,
        }
        for u in User.objects.filter(
            **{f"{User.USERNAME_FIELD}__in": [u[0] for u in users]}
        ).order_by("username")
    ]
    place = PlaceDataVersion.objects.first()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "instance": instance_name(),
        "project": {
            "council": project.council.code,
            "reference": project.reference,
            "title": project.title,
        },
        "versions": {
            "question_banks": sorted(
                {
                    v[0]
                    for (label, _), v in keys.cache.items()
                    if label == "assessments.questionbank"
                }
                | {v[0] for (label, _), v in keys.cache.items() if label == "assessments.question"}
            ),
            "rule_sets": sorted(
                {v[0] for (label, _), v in keys.cache.items() if label == "assessments.ruleset"}
            ),
            "place_data": place.content_sha256 if place else None,
        },
        "users": people,
        "objects": objects,
    }


def instance_name() -> str:
    """How this instance names itself in the files it exports: its public host name."""
    return urlsplit(settings.SITE_URL).netloc or "another CHIIA instance"


def _dependency_order(labels: set[str]) -> list[str]:
    """Models ordered so that each comes after the models it points at (cycles broken by name)."""
    deps = {}
    for label in labels:
        model = apps.get_model(label)
        needs = {
            _label(f.related_model)
            for f in model._meta.concrete_fields
            if f.is_relation
            and _label(f.related_model) in labels
            and _label(f.related_model) != label
        }
        if _is_history(model):  # a version row names its object by id
            needs.add(_label(model.instance_type))
        deps[label] = needs & labels
    ordered: list[str] = []
    while deps:
        ready = sorted(label for label, needs in deps.items() if not needs - set(ordered))
        if not ready:  # a cycle: take the alphabetically first and fix its links up afterwards
            ready = [sorted(deps)[0]]
        for label in ready:
            ordered.append(label)
            del deps[label]
    return ordered


def delete_project(project) -> None:
    """Remove a project and everything collected with it (history rows included), children first."""
    collected = collect(project)
    labels = _dependency_order({_label(m) for m in collected})
    by_label = {_label(m): m for m in collected}
    for model, objs in collected.items():
        _delete_links(model, [o.pk for o in objs])
    for label in reversed(labels):
        model = by_label[label]
        # Raw delete: a model delete() would add "deleted" history rows for the removed objects.
        model._default_manager.filter(pk__in=[o.pk for o in collected[model]])._raw_delete(
            model._default_manager.db
        )


def _delete_links(model, pks: list) -> None:
    """Remove the many-to-many link rows of these objects, in either direction (an indicator's
    answers, actions and population groups), which the raw deletes would otherwise leave
    pointing at nothing, or be refused by the database for."""
    links = [(f.remote_field.through, f.m2m_field_name()) for f in model._meta.many_to_many]
    links += [
        (rel.through, rel.field.m2m_reverse_field_name())
        for rel in model._meta.related_objects
        if rel.many_to_many
    ]
    for through, column in links:
        rows = through._default_manager.filter(**{f"{column}__in": pks})
        rows._raw_delete(through._default_manager.db)
