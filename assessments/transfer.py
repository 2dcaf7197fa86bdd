"""Whole-project JSON export and import, lossless between CHIIA instances.

The export is generic: starting from the project it collects every object that points at it,
directly or through other collected objects (assessments, sections, answers, groups, reviews,
comments, actions, archived reports, whatever the app's models are), discovered from the
models' reverse relations, plus the simple_history versions of each of them. Objects refer to
each other by stable references ("assessments.answer#3" is the project's 4th answer in primary
key order), so exporting the same content twice gives the same document whatever the primary
keys are. Reference data (councils, stages, questions, rule sets...) and users are referred to
by natural keys, and the question bank, rule set and place data versions are listed so the
receiving instance can check it holds the same ones.

Import recreates every object with new primary keys in dependency order, without running
save() side effects (no new history rows, no automatic timestamps), so the imported project
exports to the same document.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

FORMAT = "chiia-project"
FORMAT_VERSION = 1

# Natural keys of reference data (never exported as objects; must exist on the receiving side).
NATURAL_KEYS = {
    "assessments.council": ("code",),
    "assessments.lifecyclestage": ("code",),
    "assessments.determinant": ("code",),
    "assessments.populationgroup": ("code",),
    "assessments.questionbank": ("version",),
    "assessments.ruleset": ("version",),
    "assessments.question": ("bank__version", "code"),
    "contenttypes.contenttype": ("app_label", "model"),
}


class TransferError(Exception):
    pass


def _label(model) -> str:
    return model._meta.label_lower


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None and hasattr(manager, "model") else None


def _is_history(model) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


def _reverse_relations(model):
    for rel in model._meta.get_fields():
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one):
            if not _is_history(rel.related_model):
                yield rel


def collect(project) -> dict[type, list]:
    """Every object reachable from the project through reverse relations, by model, in pk order."""
    project = type(project)._default_manager.get(pk=project.pk)  # as stored, not as in memory
    seen: dict[type, dict[int, models.Model]] = defaultdict(dict)
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
            for model in collected if _history_model(model) is not None
        }
        self.cache: dict[tuple[str, object], object] = {}

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
    from .models import PlaceDataVersion

    collected = collect(project)
    keys = _Keys(collected)
    objects = []
    for model in sorted(collected, key=_label):
        for i, obj in enumerate(collected[model]):
            objects.append({"model": _label(model), "ref": f"{_label(model)}#{i}", "fields": _serialise(obj, keys)})
    users = sorted({tuple(v) for (label, _), v in keys.cache.items() if label == _label(get_user_model())})
    User = get_user_model()
    people = [
        {"username": u.username, "first_name": u.first_name, "last_name": u.last_name, "email": u.email}
        for u in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": [u[0] for u in users]}).order_by("username")
    ]
    place = PlaceDataVersion.objects.first()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "project": {"council": project.council.code, "reference": project.reference, "title": project.title},
        "versions": {
            "question_banks": sorted({v[0] for (label, _), v in keys.cache.items() if label == "assessments.questionbank"}
                                     | {v[0] for (label, _), v in keys.cache.items() if label == "assessments.question"}),
            "rule_sets": sorted({v[0] for (label, _), v in keys.cache.items() if label == "assessments.ruleset"}),
            "place_data": place.content_sha256 if place else None,
        },
        "users": people,
        "objects": objects,
    }


# ------------------------------------------------------------------ import


def _dependency_order(labels: set[str]) -> list[str]:
    """Models ordered so that each comes after the models it points at (cycles broken by name)."""
    deps = {}
    for label in labels:
        model = apps.get_model(label)
        needs = {
            _label(f.related_model)
            for f in model._meta.concrete_fields
            if f.is_relation and _label(f.related_model) in labels and _label(f.related_model) != label
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


class _Resolver:
    def __init__(self, document: dict):
        self.new_pks: dict[str, object] = {}
        self.users: dict[str, object] = {}
        self.naturals: dict[tuple, object] = {}
        User = get_user_model()
        for person in document.get("users", []):
            user, created = User.objects.get_or_create(
                username=person["username"],
                defaults={k: person.get(k, "") for k in ("first_name", "last_name", "email")} | {"is_active": False},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            self.users[user.username] = user.pk

    def pk_for(self, key, *, pending_ok=False):
        if key is None or "missing" in key:
            return None
        if "ref" in key:
            if key["ref"] not in self.new_pks:
                if pending_ok:
                    raise LookupError(key["ref"])
                raise TransferError(f"{key['ref']} is referred to before it exists")
            return self.new_pks[key["ref"]]
        if "user" in key:
            if key["user"] not in self.users:
                self.users[key["user"]] = get_user_model().objects.get(username=key["user"]).pk
            return self.users[key["user"]]
        label, *values = key["natural"]
        cache_key = (label, *values)
        if cache_key not in self.naturals:
            lookup = dict(zip(NATURAL_KEYS[label], values))
            found = apps.get_model(label)._default_manager.filter(**lookup).values_list("pk", flat=True).first()
            if found is None:
                raise TransferError(f"This instance has no {label} {' '.join(map(str, values))}; load it first.")
            self.naturals[cache_key] = found
        return self.naturals[cache_key]


@transaction.atomic
def import_project(document: dict):
    """Recreate the exported project. Refuses if the council already has a project with its reference."""
    from .models import CapitalProject

    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise TransferError("This file is not a CHIIA project export this version can read.")
    head = document["project"]
    if CapitalProject.objects.filter(council__code=head["council"], reference=head["reference"]).exists():
        raise TransferError(f"{head['council']} already has a project with reference {head['reference']}.")
    resolver = _Resolver(document)
    by_model: dict[str, list[dict]] = defaultdict(list)
    for item in document["objects"]:
        by_model[item["model"]].append(item)
    for label in by_model:
        try:
            apps.get_model(label)
        except LookupError:
            raise TransferError(f"This instance has no {label} records; it runs an older version of CHIIA.") from None
    fixups: list[tuple[type, str, str, dict]] = []  # (model, ref, field attname, key)
    m2m: list[tuple[type, str, str, list]] = []
    timestamps: list[tuple[type, str, dict]] = []
    for label in _dependency_order(set(by_model)):
        model = apps.get_model(label)
        history = _is_history(model)
        for item in by_model[label]:
            values, stamps = {}, {}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.name not in item["fields"]:
                    continue
                raw = item["fields"][field.name]
                if field.is_relation:
                    try:
                        values[field.attname] = resolver.pk_for(raw, pending_ok=True)
                    except LookupError:
                        values[field.attname] = None
                        fixups.append((model, item["ref"], field.attname, raw))
                elif history and field.name == "id":
                    values["id"] = resolver.pk_for(raw)
                else:
                    values[field.attname] = field.to_python(raw) if raw is not None else None
                    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                        stamps[field.attname] = values[field.attname]
            # bulk_create: no save() side effects such as new history rows.
            (obj,) = model._default_manager.bulk_create([model(**values)])
            if obj.pk is None:
                raise TransferError(f"The database did not return a key for {label}.")
            resolver.new_pks[item["ref"]] = obj.pk
            if stamps:
                timestamps.append((model, item["ref"], stamps))
            for field in model._meta.many_to_many:
                if item["fields"].get(field.name):
                    m2m.append((model, item["ref"], field.name, item["fields"][field.name]))
    for model, ref, attname, key in fixups:
        model._default_manager.filter(pk=resolver.new_pks[ref]).update(**{attname: resolver.pk_for(key)})
    for model, ref, name, keys in m2m:
        getattr(model._default_manager.get(pk=resolver.new_pks[ref]), name).set([resolver.pk_for(k) for k in keys])
    # auto_now / auto_now_add would have stamped the import time; put the original times back.
    for model, ref, stamps in timestamps:
        model._default_manager.filter(pk=resolver.new_pks[ref]).update(**stamps)
    project_ref = next(item["ref"] for item in by_model["assessments.capitalproject"])
    return CapitalProject.objects.get(pk=resolver.new_pks[project_ref])


def delete_project(project) -> None:
    """Remove a project and everything collected with it (history rows included), children first."""
    collected = collect(project)
    labels = _dependency_order({_label(m) for m in collected})
    by_label = {_label(m): m for m in collected}
    for label in reversed(labels):
        model = by_label[label]
        # Raw delete: a model delete() would add "deleted" history rows for the removed objects.
        model._default_manager.filter(pk__in=[o.pk for o in collected[model]])._raw_delete(model._default_manager.db)
