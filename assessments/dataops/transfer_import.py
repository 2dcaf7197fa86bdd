"""Whole-project JSON import: the receiving half of assessments.dataops.transfer.

A project file is untrusted input. It recreates only the project's own records, with new primary
keys, in dependency order, without running save() side effects (no new history rows, no automatic
timestamps). Content comes back as it was; the workflow history comes back marked as imported
from the exporting instance.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from assessments import permissions, presenters
from assessments.dataops import transfer_links
from assessments.dataops.transfer import (
    FORMAT,
    FORMAT_VERSION,
    NATURAL_KEYS,
    TransferError,
    _dependency_order,
    _is_history,
    _label,
    importable,
)
from assessments.enums import Role

# ------------------------------------------------------------------ import
#
# A project file is untrusted input, like a form post: it may come from anywhere. So an import
# first reads and checks the whole file without writing anything, collecting every problem it
# finds, and only then writes, in one transaction:
#   - only the allow-listed project records are created; anything else is refused;
#   - reference data and people are looked up, never created;
#   - every field goes through the web form (the project) or the model's own validation;
#   - who acted in the exporting instance's workflow is kept as text, credited to nobody here.

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_JSON_DEPTH = 16  # the export itself nests 9 deep (score snapshots are the deepest part)
MAX_PROBLEM_LENGTH = 300
READABLE_VERSIONS = {1, 2, FORMAT_VERSION}
HEADER_KEYS = {
    "format",
    "format_version",
    "exported_at",
    "instance",
    "project",
    "versions",
    "users",
    "objects",
}
PERSON_KEYS = {"username", "first_name", "last_name", "email"}
VERSION_KEYS = {"question_banks", "rule_sets", "place_data"}
MAX_PERSON_TEXT = 254
MAX_INSTANCE_NAME = 200

# Fields naming who took part in a workflow, review or panel step, and the text field of the same
# record that says so once imported ("" when the record has none). An imported record credits
# nobody here: the person was acting in another instance, and a local account with the same
# username must never appear to have signed off, approved or accepted anything.
CREDITED = {
    "assessments.statuschange": {"by": "note"},
    "assessments.actionplanacceptance": {"by": "note"},
    "assessments.reviewverdict": {"reviewer": "comment"},
    "assessments.ratingoverride": {"by": "reason"},
    "assessments.flagjustification": {"by": "justification"},
    "assessments.commentreply": {"by": "text"},
    "assessments.communitycomment": {"author": "", "hidden_by": "hidden_reason"},
    "assessments.consultationwindow": {"opened_by": "", "closed_by": ""},
}
# A project's own people: linked only to someone holding that role in the project's council.
PROJECT_ROLES = {"project_manager": Role.PROJECT_MANAGER, "senior_responsible_officer": Role.SRO}
# Linked only to someone with any role in the project's council, as the indicator form offers:
# the owner is sent the project's monitoring reminders.
COUNCIL_PEOPLE = {"owner"}
ANY_ROLE = "any"
# On version-history rows, who made the change.
HISTORY_CREDITED = {"history_user": "history_change_reason"}
# Records that always say they were imported, whoever the file names.
ALWAYS_MARKED = {label for label, fields in CREDITED.items() if "" not in fields.values()}
REF_RE = re.compile(r"^(?P<model>assessments\.[a-z]+)#(?P<index>\d{1,9})$")
IMPORT_EVENT = "import"


class _Problems:
    """Every problem found in a file, worded for the person who uploaded it."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, where: str, message) -> None:
        line = f"{where}: {message}" if where else str(message)
        # Messages may quote the file's own values: never echo a huge one back whole.
        if len(line) > MAX_PROBLEM_LENGTH:
            line = line[: MAX_PROBLEM_LENGTH - 1] + "…"
        self.lines.append(line)

    def add_validation(self, where: str, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                for message in errors:
                    self.add(where if name == NON_FIELD_ERRORS else f"{where}, {name}", message)
        else:
            for message in error.messages:
                self.add(where, message)

    def raise_if_any(self) -> None:
        if self.lines:
            raise TransferError(self.lines)


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return deepest


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number a CHIIA file can hold")


NOT_AN_EXPORT = "not a CHIIA project export"


def read_document(data: bytes) -> dict:
    """The uploaded bytes as a JSON document, or a TransferError saying why they are not one."""
    if len(data) > MAX_IMPORT_BYTES:
        raise TransferError(
            f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; "
            "is it a CHIIA project export?"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TransferError(f"The file is not UTF-8 text, so it is {NOT_AN_EXPORT}.") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise TransferError(
            f"The file is nested far too deeply, so it is {NOT_AN_EXPORT}."
        ) from None
    except ValueError as exc:
        where = ""
        if isinstance(exc, json.JSONDecodeError):
            where = f" (line {exc.lineno}, column {exc.colno})"
        raise TransferError(
            f"The file is not valid JSON{where}, so it is {NOT_AN_EXPORT}."
        ) from None
    if not isinstance(document, dict):
        raise TransferError(f"The file is JSON but it is {NOT_AN_EXPORT} (it is not an object).")
    if _depth(document) > MAX_JSON_DEPTH:
        raise TransferError("The file is nested more deeply than a CHIIA project export ever is.")
    return document


def _when(value) -> datetime.datetime | None:
    """A date and time with its time zone, from text; None for anything else."""
    try:
        found = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return found if found is not None and timezone.is_aware(found) else None


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _text(value, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit and "\x00" not in value


_INTEGER_TYPES = {
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}


def _wrong_type(field, raw) -> str | None:
    """What is wrong with the JSON type of a value, before Django converts it (None if fine)."""
    if raw is None:
        return None  # the field's own null/blank rules decide
    kind = field.get_internal_type()
    if kind in {"CharField", "TextField"}:
        return None if isinstance(raw, str) else "must be text"
    if kind == "BooleanField":
        return None if isinstance(raw, bool) else "must be true or false"
    if kind in _INTEGER_TYPES:
        whole = isinstance(raw, int) and not isinstance(raw, bool)
        return None if whole else "must be a whole number"
    if kind == "DecimalField":
        number = isinstance(raw, (str, int)) and not isinstance(raw, bool)
        return None if number else "must be a number"
    if kind in {"DateTimeField", "DateField"}:
        return None if isinstance(raw, str) else "must be a date written as text"
    if kind == "JSONField":
        return None
    return "is not something a project file can set"


class _Person:
    """Looks people up by username. Never creates one."""

    def __init__(self, document: dict, problems: _Problems):
        self.named: dict[str, str] = {}  # username -> display name, from the file's people list
        people = document.get("users", [])
        if not isinstance(people, list):
            problems.add("People", "must be a list")
            people = []
        for i, person in enumerate(people):
            where = f"Person {i + 1}"
            if (
                not isinstance(person, dict)
                or "username" not in person
                or not set(person) <= PERSON_KEYS
            ):
                problems.add(
                    where, f"must have a username and at most {', '.join(sorted(PERSON_KEYS))}"
                )
                continue
            if not all(_text(value, MAX_PERSON_TEXT) for value in person.values()):
                problems.add(
                    where, f"each detail must be text of at most {MAX_PERSON_TEXT} characters"
                )
                continue
            username = person["username"]
            full = f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
            self.named[username] = f"{full} ({username})" if full else username
        self.local: dict[tuple, int | None] = {}
        self.matched: set[str] = set()  # project people and authors found here by username
        self.names_only: set[str] = set()  # everyone else the records name

    def match(self, username: str, *, council_id=None, role=None) -> int | None:
        """A local account with this username, for authorship or a project role (never a
        decision); for a role, only someone holding it in the project's council, as the project
        form requires."""
        key = (username, role)
        if key not in self.local:
            User = get_user_model()
            found = User._default_manager.filter(**{User.USERNAME_FIELD: username})
            if role == ANY_ROLE:
                found = found.filter(is_active=True, memberships__council_id=council_id)
            elif role is not None:
                found = found.filter(memberships__council_id=council_id, memberships__role=role)
            self.local[key] = found.values_list("pk", flat=True).first()
        (self.matched if self.local[key] else self.names_only).add(username)
        return self.local[key]

    def describe(self, username: str | None) -> str:
        return self.named.get(username, username) if username else "someone the file does not name"


@dataclass
class _Planned:
    """One record to create: its unsaved instance, and its links to other records in the file."""

    label: str
    ref: str
    instance: models.Model = dc_field(init=False)  # built once its fields have been checked
    links: dict[str, str] = dc_field(default_factory=dict)  # attname -> ref of a record in the file
    stamps: dict[str, object] = dc_field(default_factory=dict)  # auto_now values to put back
    # many-to-many field name -> [("ref", ref of a record in the file) or ("pk", reference data)]
    many: dict[str, list[tuple[str, object]]] = dc_field(default_factory=dict)


@dataclass
class _Plan:
    records: list[_Planned]
    project_ref: str
    instance: str
    exported_at: str
    people: _Person


REFERENCE_LABELS = {label for label in NATURAL_KEYS if label != "contenttypes.contenttype"}


def _check_header(document: dict, problems: _Problems) -> tuple[str, list]:
    unknown = set(document) - HEADER_KEYS
    if unknown:
        problems.add(
            "File", f"has entries no CHIIA project export has: {', '.join(sorted(unknown))}"
        )
    if document.get("format") != FORMAT or document.get("format_version") not in READABLE_VERSIONS:
        raise TransferError("This file is not a CHIIA project export this version can read.")
    instance = document.get("instance", "another CHIIA instance")
    if not _text(instance, MAX_INSTANCE_NAME) or not instance.strip() or not instance.isprintable():
        problems.add(
            "File",
            f"the exporting instance must be named in {MAX_INSTANCE_NAME} characters at most",
        )
        instance = "another CHIIA instance"
    if "exported_at" in document and _when(document["exported_at"]) is None:
        problems.add("File", "the export date is not a date and time")
    head = document.get("project")
    if (
        not isinstance(head, dict)
        or set(head) != {"council", "reference", "title"}
        or not all(isinstance(v, str) for v in head.values())
    ):
        problems.add(
            "File", "the project summary must give the council, reference and title as text"
        )
    versions = document.get("versions", {})
    if not isinstance(versions, dict) or not set(versions) <= VERSION_KEYS:
        problems.add("File", "the versions list is not in the shape a CHIIA export writes")
    objects = document.get("objects")
    if not isinstance(objects, list):
        raise TransferError([*problems.lines, "File: it lists no records."])
    return instance, objects


def _check_items(objects: list, problems: _Problems) -> dict[str, dict]:
    """The file's records by reference, keeping only those of the allow-listed kinds."""
    items: dict[str, dict] = {}
    for i, item in enumerate(objects):
        where = f"Record {i + 1}"
        if not isinstance(item, dict) or set(item) != {"model", "ref", "fields"}:
            problems.add(where, "must have exactly a model, a ref and fields")
            continue
        label, ref, fields = item["model"], item["ref"], item["fields"]
        if not isinstance(label, str) or not isinstance(ref, str) or not isinstance(fields, dict):
            problems.add(where, "its model and ref must be text and its fields an object")
            continue
        where = f"Record {i + 1} ({label[:60]})"
        if label not in importable():
            problems.add(
                where,
                "is not part of a project's own records, so it cannot be imported "
                "(people, memberships, sign-ins, other councils and reference data "
                "are never created from a file)",
            )
            continue
        match = REF_RE.match(ref)
        if not match or match["model"] != label:
            problems.add(where, f"its ref must look like {label}#0")
            continue
        if ref in items:
            problems.add(where, f"{ref} appears twice")
            continue
        items[ref] = item
    return items


def _resolve_natural(key, target_label: str, council_code: str | None, cache: dict) -> int | str:
    """The local primary key for a reference-data natural key, or a problem sentence."""
    if (
        target_label not in REFERENCE_LABELS
        or not isinstance(key, list)
        or key[:1] != [target_label]
    ):
        return f"must name a {target_label} by its code"
    values = key[1:]
    if len(values) != len(NATURAL_KEYS[target_label]) or not all(_text(v, 100) for v in values):
        return f"must name a {target_label} by its code"
    if target_label == "assessments.council" and council_code and values != [council_code]:
        return f"names council {values[0]}, but the project belongs to {council_code}"
    cache_key = (target_label, *values)
    if cache_key not in cache:
        lookup = dict(zip(NATURAL_KEYS[target_label], values, strict=False))
        rows = apps.get_model(target_label)._default_manager.filter(**lookup)
        cache[cache_key] = rows.values_list("pk", flat=True).first()
    if cache[cache_key] is None:
        return f"this instance has no {target_label} {' '.join(values)}; load it first"
    return cache[cache_key]


class _Bad(Exception):
    """One field's problem, as a sentence."""


def _model_of(items: dict, ref) -> str | None:
    return items[ref]["model"] if isinstance(ref, str) and ref in items else None


def _reference(f, raw, items, ctx, history: bool) -> tuple[str, object]:
    """How a relation field's value in the file resolves: ("ref", ref of a record in the file),
    ("pk", local reference data), ("user", a username) or ("none", None)."""
    if history and f.name == "id":  # a version row names the record it is a version of
        target = _label(f.model.instance_type)
        if isinstance(raw, dict) and set(raw) == {"ref"} and _model_of(items, raw["ref"]) == target:
            return "ref", raw["ref"]
        raise _Bad(f"must refer to a {target} in this file")
    target = _label(f.related_model)
    if raw is None:
        if not f.null:
            raise _Bad("is required")
        return "none", None
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _Bad("is not a reference a CHIIA export writes")
    ((kind, key),) = raw.items()
    if kind == "ref" and _model_of(items, key) == target:
        return "ref", key
    if kind == "natural":
        found = _resolve_natural(key, target, ctx["council_code"], ctx["naturals"])
        if isinstance(found, str):
            raise _Bad(found)
        return "pk", found
    if kind == "user" and target == _label(get_user_model()) and _text(key, MAX_PERSON_TEXT):
        return "user", key
    if kind == "missing" and history and key == target:  # a version of a record deleted there
        return "none", None
    raise _Bad(f"must refer to a {target} in this file or on this instance")


def _scalar(f, raw):
    wrong = _wrong_type(f, raw)
    if wrong:
        raise _Bad(wrong)
    value = f.to_python(raw)
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        raise _Bad("must give its time zone")
    return value


def _plan_fields(
    model, fields: dict, items, ctx, planned: _Planned, *, credited: dict, history: bool, where: str
) -> tuple[dict, set, dict, set]:
    """Check and convert each field the file gives a record: plain values, links to other
    records in the file, reference data and people. Returns the model field values, the fields
    the model's own validation must leave out, who acted (kept as names only), and the fields
    already reported as bad."""
    problems, people = ctx["problems"], ctx["people"]
    values, exclude, acted, bad = {}, set(), {}, set()
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name not in fields:
            continue
        raw = fields[f.name]
        try:
            if _has_nul(raw):
                raise _Bad("contains a NUL character, which no CHIIA text may hold")
            if not (f.is_relation or (history and f.name == "id")):
                values[f.attname] = _scalar(f, raw)
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    planned.stamps[f.attname] = values[f.attname]
                continue
            # Relations are checked here, so the model's own validation leaves them out,
            # except reference data (it checks that the row exists).
            kind, value = _reference(f, raw, items, ctx, history)
            exclude.add(f.name)
            if kind == "ref" and isinstance(value, str):  # _reference only gives str refs
                planned.links[f.attname] = value
            elif kind == "pk":
                values[f.attname] = value
                exclude.discard(f.name)
            elif kind == "user" and f.name in credited:
                acted[f.name] = value
                people.names_only.add(value)
            elif kind == "user":
                role = ANY_ROLE if f.name in COUNCIL_PEOPLE else PROJECT_ROLES.get(f.name)
                values[f.attname] = people.match(value, council_id=ctx["council_pk"], role=role)
        except _Bad as exc:
            bad.add(f.name)
            problems.add(f"{where}, {f.name}", exc)
        except ValidationError as exc:
            bad.add(f.name)
            problems.add_validation(f"{where}, {f.name}", exc)
    return values, exclude, acted, bad


def _plan_record(ref, item, items, ctx) -> _Planned | None:
    """Build one unsaved record from the file, adding every problem it has to ctx["problems"]."""
    label, fields, problems = item["model"], item["fields"], ctx["problems"]
    model = apps.get_model(label)
    history = _is_history(model)
    credited = {**CREDITED.get(label, {}), **(HISTORY_CREDITED if history else {})}
    where = f"{str(model._meta.verbose_name).capitalize()} {int(ref.rsplit('#', 1)[1]) + 1}"
    known = {f.name for f in model._meta.concrete_fields if not f.primary_key}
    unknown = set(fields) - known - {f.name for f in model._meta.many_to_many}
    if unknown:
        problems.add(where, f"has fields CHIIA does not know: {', '.join(sorted(unknown)[:10])}")
        return None
    planned = _Planned(label, ref)
    values, exclude, acted, bad = _plan_fields(
        model, fields, items, ctx, planned, credited=credited, history=history, where=where
    )
    planned.many = transfer_links.plan_many(
        model, fields, items, ctx, where, resolve=_resolve_natural
    )
    instance = planned.instance = model(**values)
    # A version row leaves some fields NULL (no change reason); its model never asks for them.
    if history:
        exclude |= {
            f.name
            for f in model._meta.concrete_fields
            if f.null and getattr(instance, f.attname) is None
        }
    if label == "assessments.capitalproject":
        _check_project_form(instance, fields, where, ctx, bad)
        exclude |= set(PROJECT_FORM_FIELDS)
    try:
        # Lengths, choices, ranges, required fields and constraints, as the model defines them
        # (leaving out the fields already reported, so each problem is listed once).
        instance.full_clean(exclude=exclude | bad)
    except ValidationError as exc:
        problems.add_validation(where, exc)
    _mark_imported(instance, label, credited, acted, ctx)
    return planned


PROJECT_FORM_FIELDS = (
    "title",
    "council",
    "reference",
    "description",
    "project_type",
    "budget",
    "city_deal",
    "catchment_includes_neighbours",
    "current_stage",
    "postcodes",
    "data_zones",
)


def _check_project_form(project, fields, where, ctx, bad: set[str]) -> None:
    """The project's own fields go through the form a person fills in to register a project."""
    from assessments.projects.forms import ProjectForm

    def codes(name):
        value = fields.get(name, [])
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            if name not in bad:
                ctx["problems"].add(f"{where}, {name}", "must be a list of codes")
            return ""
        return ", ".join(value)

    data = {
        name: getattr(project, name)
        for name in PROJECT_FORM_FIELDS
        if not name.endswith(("council", "stage", "postcodes", "data_zones"))
    }
    data |= {
        "council": project.council_id,
        "current_stage": project.current_stage_id,
        "postcodes_text": codes("postcodes"),
        "data_zones_text": codes("data_zones"),
    }
    data = {name: ("" if value is None else value) for name, value in data.items()}
    form = ProjectForm(data, user=ctx["user"])
    if not form.is_valid():
        for name, errors in form.errors.items():
            name = {"postcodes_text": "postcodes", "data_zones_text": "data_zones"}.get(name, name)
            if name in bad:
                continue
            for message in errors:
                ctx["problems"].add(
                    f"{where}, {name}" if name != NON_FIELD_ERRORS else where, message
                )
        return
    project.postcodes = form.cleaned_data["postcodes_text"]
    project.data_zones = form.cleaned_data["data_zones_text"]


def _mark_imported(instance, label, credited, acted, ctx) -> None:
    """Put who acted, and where, into the record's own text: it is history from elsewhere."""
    for name, text_field in credited.items():
        if not text_field:
            continue
        if name not in acted and label not in ALWAYS_MARKED:
            continue
        if text_field == "hidden_reason" and not instance.hidden:
            continue
        who = ctx["people"].describe(acted.get(name))
        mark = f"Imported from {ctx['instance']}; recorded there by {who}."
        field_ = type(instance)._meta.get_field(text_field)
        before = getattr(instance, text_field) or ""
        text = f"{mark} {before}".strip()
        if field_.max_length and len(text) > field_.max_length:
            text = text[: field_.max_length - 1] + "…"
        setattr(instance, text_field, text)


def plan_import(document: dict, *, user) -> _Plan:
    """Read and check the whole file; raise TransferError listing every problem. Writes nothing."""
    problems = _Problems()
    instance, objects = _check_header(document, problems)
    people = _Person(document, problems)
    items = _check_items(objects, problems)
    projects = [ref for ref, item in items.items() if item["model"] == "assessments.capitalproject"]
    if len(projects) != 1:
        problems.add("File", f"must hold exactly one project (it holds {len(projects)})")
        problems.raise_if_any()
    project_ref = projects[0]
    council_key = items[project_ref]["fields"].get("council")
    council_code = None
    if isinstance(council_key, dict) and isinstance(council_key.get("natural"), list):
        natural = council_key["natural"]
        if len(natural) == 2 and natural[0] == "assessments.council" and _text(natural[1], 100):
            council_code = natural[1]
    head = document.get("project")
    if not isinstance(head, dict):
        head = {}
    refused = len(problems.lines)
    if council_code is None:
        problems.add("Project", "must name its council by code")
    elif head.get("council") != council_code:
        problems.add(
            "File",
            f"its summary names council {str(head.get('council'))[:20]}, but the "
            f"project in it belongs to {council_code}; the file has been altered",
        )
    ctx = {
        "problems": problems,
        "people": people,
        "user": user,
        "council_code": council_code,
        "council_pk": None,
        "naturals": {},
        "instance": instance,
    }
    if council_code is not None:
        label = "assessments.council"
        council_pk = _resolve_natural([label, council_code], label, None, ctx["naturals"])
        if isinstance(council_pk, str):
            problems.add("Project", council_pk)
        elif not permissions.can_administer_council(user, council_pk):
            problems.add(
                "File",
                f"the project belongs to council {council_code}, which you do not administer",
            )
        ctx["council_pk"] = council_pk
    if len(problems.lines) > refused:
        problems.raise_if_any()  # nothing more is worth checking for someone who may not import it
    for key in ("reference", "title"):
        if head.get(key) != items[project_ref]["fields"].get(key):
            problems.add("File", f"its summary gives another project {key} than the project in it")
    records = [_plan_record(ref, items[ref], items, ctx) for ref in items]
    transfer_links.check_monitoring([r for r in records if r is not None], problems)
    problems.raise_if_any()
    # A record that could not be planned added its problem, so none is left out by now.
    planned = [record for record in records if record is not None]
    return _Plan(planned, project_ref, instance, document.get("exported_at", ""), people)


def _import_note(plan: _Plan, user, status_label: str) -> str:
    importer = presenters.person_name(user)
    exported = _when(plan.exported_at)
    when = f" (exported there on {timezone.localtime(exported):%d %b %Y})" if exported else ""
    matched = sorted(plan.people.describe(u) for u in plan.people.matched)
    names = sorted(plan.people.describe(u) for u in plan.people.names_only)
    note = (
        f"Imported from {plan.instance}{when} by {importer}, at status “{status_label}”. "
        "Its workflow history (status changes, reviews, approvals, acceptance and sign-off) "
        "happened there and is credited to nobody here."
    )
    if matched:
        note += (
            " Matched by username to people here, as project staff or authors of content only: "
            + "; ".join(matched)
            + "."
        )
    if names:
        note += " Named in the file and kept here as names only: " + "; ".join(names) + "."
    return note[:4000]


def _write(plan: _Plan, user):
    from assessments.enums import AssessmentStatus
    from assessments.models import CapitalProject, StatusChange

    by_label: dict[str, list[_Planned]] = defaultdict(list)
    for record in plan.records:
        by_label[record.label].append(record)
    new_pks: dict[str, int] = {}  # every CHIIA table has an integer key
    fixups: list[tuple[type[models.Model], str, str, str]] = []
    for label in _dependency_order(set(by_label)):
        for record in by_label[label]:
            obj = record.instance
            for attname, ref in record.links.items():
                if ref in new_pks:
                    setattr(obj, attname, new_pks[ref])
                else:  # a link into a record created later (a cycle): set once it exists
                    fixups.append((type(obj), record.ref, attname, ref))
            # bulk_create: no save() side effects such as new history rows.
            (created,) = type(obj)._default_manager.bulk_create([obj])
            if created.pk is None:
                raise TransferError(f"The database did not return a key for {label}.")
            new_pks[record.ref] = created.pk
    for model, ref, attname, target in fixups:
        model._default_manager.filter(pk=new_pks[ref]).update(**{attname: new_pks[target]})
    transfer_links.write_many(plan.records, new_pks)
    # auto_now / auto_now_add would have stamped the import time; put the original times back.
    for record in plan.records:
        if record.stamps:
            rows = type(record.instance)._default_manager.filter(pk=new_pks[record.ref])
            rows.update(**record.stamps)
    project = CapitalProject.objects.get(pk=new_pks[plan.project_ref])
    for assessment in project.assessments.all():
        status = AssessmentStatus(assessment.status)
        _check_scores(assessment, status)
        StatusChange.objects.create(
            assessment=assessment,
            event=IMPORT_EVENT,
            from_status=status,
            to_status=status,
            note=_import_note(plan, user, status.label),
            by=None,
        )
    return project


def _check_scores(assessment, status) -> None:
    """An open stage's scores are worked out here from its answers, never taken on trust from
    the file (a faithful file already agrees and is left exactly as it was, so a round trip is
    lossless). A frozen stage keeps the scores it was signed off with, but every stored copy of
    them (ratings, flags, dashboard rows) must agree with its snapshot."""
    from assessments.enums import FROZEN_STATUSES
    from assessments.scoring import snapshots as scoring

    if status not in FROZEN_STATUSES:
        if not scoring.stored_copies_agree(assessment, scoring.evaluate(assessment)):
            scoring.refresh_snapshot(assessment)
        return
    stored = scoring.stored_result(assessment)
    if stored is None or not scoring.stored_copies_agree(assessment, stored):
        raise TransferError(
            f"The {status.label.lower()} {assessment.stage.name} stage's ratings and flags do not "
            "match its stored scores, so the file has been altered and nothing was imported."
        )


def import_project(document: dict, *, user):
    """Recreate an exported project in a council `user` administers, or raise TransferError
    listing every problem with the file. Nothing is written unless the whole file is valid."""
    plan = plan_import(document, user=user)
    try:
        with transaction.atomic():
            return _write(plan, user)
    except (IntegrityError, DataError) as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else "the database refused them"
        raise TransferError(
            "The file's records contradict each other or records already on this "
            f"instance, so nothing was imported ({detail})."
        ) from None
