"""Walk every URL pattern the project serves, as a signed-out visitor and as each role of a council
that owns none of the data, and prove nobody sees or changes another council's data.

New URL patterns are picked up automatically from the resolver. Path parameters are filled with
the ids of real objects of other councils (every model row linked to a council, found by
following foreign keys), or with KWARG_EXAMPLES for string parameters. A parameterised pattern
for which no such object can be found fails the walk, so that nothing goes unchecked: give it an
example value below, or make seed_demo create the object it needs.

Expected answers:
  signed out            302 to the sign-in page (PUBLIC pages excepted); 401 under /api/;
  another council       403, 404, 405 (wrong method) or 302 to sign-in for a parameterised URL;
                        for a URL without parameters (a list, a form) also 200 or a redirect,
                        but never with another council's data on it.
No request, GET or POST, may change any stored record.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.dataops.demo import seed_demo
from assessments.enums import REGIONAL_ROLES, Role
from assessments.models import CapitalProject, Council
from tests.factories import make_user

# Pages anyone may open without signing in.
PUBLIC = {
    "login",
    "healthz",
    "healthz-ping",
    "assessments:about",
    "assessments:privacy-notice",
    "sso-start",
    "sso-callback",
    # Django's forgotten-password pages: open to someone who cannot sign in, by design.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# Example values for string path parameters, by parameter name.
KWARG_EXAMPLES = {
    "code": ["D05"],
    "fmt": ["csv", "xlsx", "pdf", "json"],
    "verb": ["submit", "start-review", "request-changes", "approve", "sign-off", "withdraw"],
}
DEFAULT_STRINGS = ["D05", "csv", "pdf"]
# Parameterised patterns the walker may not find a live object for (say why).
UNREACHABLE_OK: dict[str, str] = {}
# Routes with two ids that must belong together (a project and one of its report jobs): the
# world fixture names a matching pair, since a product of unrelated ids would rarely hit one.
PAIRED_EXAMPLES: dict[str, list[dict]] = {}
MAX_COMBINATIONS = 40
LIVE_PER_ROUTE = 2
ATTACKER_COUNCIL = "S12000018"  # Inverclyde: seed_demo gives it no projects
APPS_WITH_DATA = ("assessments",)
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Route:
    name: str
    route: str
    converters: dict = field(default_factory=dict)

    @property
    def params(self) -> list[str]:
        return [match.group("name") for match in PARAM.finditer(self.route)]

    def url(self, values: dict) -> str:
        return "/" + PARAM.sub(lambda m: str(values[m.group("name")]), self.route)


def walk(patterns=None, prefix: str = "", namespace: str = ""):
    """Every URL pattern, with its full route and namespaced name. Of the admin, only its index."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(part for part in (namespace, pattern.namespace) if part)
            if ns == "admin":
                yield Route("admin:index", prefix + str(pattern.pattern))
                continue
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = (
                f"{namespace}:{pattern.name}"
                if namespace and pattern.name
                else (pattern.name or "")
            )
            route = prefix + str(pattern.pattern)
            if not hasattr(pattern.pattern, "converters") or route.startswith("^"):
                raise AssertionError(
                    f"the walker cannot fill the regular-expression pattern {route!r}"
                )
            yield Route(name or route, route, dict(pattern.pattern.converters))


def council_path(model, depth: int = 0, seen=()) -> str | None:
    """The ORM lookup from `model` to its Council through forward foreign keys, if any."""
    if model is Council:
        return ""
    if depth > 4:
        return None
    for fk in model._meta.get_fields():
        if isinstance(fk, models.ForeignKey) and fk.related_model not in seen:
            rest = council_path(fk.related_model, depth + 1, (*seen, model))
            if rest is not None:
                return fk.name + ("__" + rest if rest else "")
    return None


def other_council_rows(attacker_council):
    """For each model linked to a council, the rows that belong to another council."""
    for model in (m for label in APPS_WITH_DATA for m in apps.get_app_config(label).get_models()):
        path = council_path(model)
        if path:
            yield (
                model,
                model.objects.filter(**{f"{path}__isnull": False}).exclude(
                    **{path: attacker_council}
                ),
            )


def parameter_pools(attacker_council) -> dict[str, list]:
    pools = {"int": set(), "uuid": set()}
    for model, rows in other_council_rows(attacker_council):
        pk = model._meta.pk
        key = (
            "uuid"
            if isinstance(pk, models.UUIDField)
            else "int"
            if isinstance(pk, models.AutoField)
            else None
        )
        if key:
            for value in (
                rows.order_by("pk").values_list("pk", flat=True).first(),
                rows.order_by("-pk").values_list("pk", flat=True).first(),
            ):
                if value is not None:
                    pools[key].add(value)
    found = {key: sorted(values, key=str) for key, values in pools.items()}
    # A parameter that names a council or a person is filled from those tables alone, without the
    # attacker's own: an id from the mixed pool can be the attacker's own council or colleague,
    # which they may rightly open (which ids collide depends on the order tests ran in).
    found["council"] = list(
        Council.objects.exclude(pk=attacker_council.pk).order_by("pk").values_list("pk", flat=True)
    )
    from django.contrib.auth import get_user_model

    found["person"] = list(
        get_user_model()
        .objects.filter(memberships__council__isnull=False)
        .exclude(memberships__council=attacker_council)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )
    return found


# Path parameters that name a council or a person: (route name or "*", parameter name).
COUNCIL_PARAMETERS = {("*", "council_id"), ("assessments:privacy-contacts", "pk")}
PERSON_PARAMETERS = {
    ("*", "user_id"),
    ("assessments:privacy-access", "pk"),
    ("assessments:privacy-erase", "pk"),
}


def _pool_for(route: Route, name: str, pools) -> list:
    if ("*", name) in COUNCIL_PARAMETERS or (route.name, name) in COUNCIL_PARAMETERS:
        return pools["council"]
    if ("*", name) in PERSON_PARAMETERS or (route.name, name) in PERSON_PARAMETERS:
        return pools["person"]
    return pools["int"]


def candidate_values(route: Route, pools) -> list[dict]:
    explicit = PAIRED_EXAMPLES.get(route.name, [])
    words, ids = [], []
    for name in route.params:
        converter = type(route.converters.get(name)).__name__.lower()
        if "int" in converter:
            ids.append((name, _pool_for(route, name, pools)))
        elif "uuid" in converter:
            ids.append((name, pools["uuid"]))
        else:
            words.append((name, KWARG_EXAMPLES.get(name, DEFAULT_STRINGS)))
    # Ids vary fastest, so within the cap a route such as /projects/<pk>/actions.<fmt> tries many
    # ids rather than a few ids in every format (another council's project ids may sort late: on
    # PostgreSQL ids keep growing from test to test).
    names = [name for name, _ in words + ids]
    combos = itertools.product(*(values for _, values in words + ids))
    return explicit + [
        dict(zip(names, combo, strict=False))
        for combo in itertools.islice(combos, MAX_COMBINATIONS)
    ]


# The download log is written by reading: every file handed over adds a line (privacy.downloads).
WRITTEN_BY_READING = {"assessments.downloadrecord"}


def snapshot() -> str:
    return "".join(
        serializers.serialize("json", model.objects.order_by("pk"))
        for label in APPS_WITH_DATA
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in WRITTEN_BY_READING
    )


# The read-only API answers a caller without a session or token 401, as API clients expect.
API_PREFIX = "/api/"


def is_refused_signed_out(response, url: str) -> bool:
    return is_login_redirect(response) or (
        url.startswith(API_PREFIX) and response.status_code == 401
    )


def is_login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse(settings.LOGIN_URL))
        or location.startswith(reverse("admin:login"))
    )


def regional_examples() -> None:
    from assessments.questionbank import drafting as bank_drafting
    from assessments.rulesets import drafting as rule_drafting

    owner = make_user("walk.method", role=Role.METHODOLOGY_OWNER)
    rule_set = rule_drafting.start_draft(owner)
    for name in ("detail", "compare", "publish", "move"):
        PAIRED_EXAMPLES[f"assessments:ruleset-{name}"] = [{"pk": rule_set.pk}]
    bank = bank_drafting.current_draft() or bank_drafting.start_draft(owner)
    question = bank.questions.order_by("pk").first()
    for name in ("detail", "question-add", "compare", "publish"):
        PAIRED_EXAMPLES[f"assessments:questionbank-{name}"] = [{"pk": bank.pk}]
    for name in ("question-edit", "question-retire"):
        PAIRED_EXAMPLES[f"assessments:questionbank-{name}"] = [
            {"pk": bank.pk, "question_pk": question.pk}
        ]
    PAIRED_EXAMPLES["assessments:questionbank-reorder"] = [
        {"pk": bank.pk, "code": question.determinant.code, "group": question.stage_group}
    ]
    PAIRED_EXAMPLES["assessments:questionbank-preview"] = [
        {"pk": bank.pk, "stage": "OBC", "code": question.determinant.code}
    ]


@pytest.fixture
def world(reference):
    seed_demo()
    # A finished project report job, so the report status and download URLs have a real target.
    from assessments.models import ReportJob

    job = ReportJob.objects.create(
        project=CapitalProject.objects.get(reference="GCC-HR-014"),
        status="done",
        progress=100,
        pdf=b"%PDF-1.7 test",
        filename="report.pdf",
    )
    for name in (
        "assessments:project-report-status",
        "assessments:project-report-progress",
        "assessments:project-report-download",
    ):
        PAIRED_EXAMPLES[name] = [{"pk": job.project_id, "job_id": job.pk}]
    # The method's drafts belong to the region, not to a council: name them (a council's ids
    # would only meet them by chance). Every council role must still be refused them.
    regional_examples()
    attacker_council = Council.objects.get(code=ATTACKER_COUNCIL)
    assert not CapitalProject.objects.filter(council=attacker_council).exists()
    attackers = {
        role.value: make_user(
            council=attacker_council, role=role, username=f"intruder-{role.value}"
        )
        for role in Role
        if role not in REGIONAL_ROLES
    }
    insiders = ["sysadmin", "pm.glasgow", "reviewer.glasgow", "panel.glasgow", "pmo"]
    return attacker_council, attackers, insiders


def live_targets(routes, pools, insiders) -> tuple[dict, list]:
    """For each route, URLs that name a real object (some insider gets something other than 404)."""
    from django.contrib.auth import get_user_model

    clients = []
    for username in insiders:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        clients.append(client)
    targets, unreachable = {}, []
    for route in routes:
        if not route.params:
            targets[route.name] = [route.url({})]
            continue
        live = []
        for values in candidate_values(route, pools):
            url = route.url(values)
            if any(client.get(url).status_code != 404 for client in clients):
                live.append(url)
                if len(live) == LIVE_PER_ROUTE:
                    break
        if live:
            targets[route.name] = live
        elif route.name not in UNREACHABLE_OK:
            unreachable.append(route.name)
    return targets, unreachable


def test_nobody_outside_a_council_gets_its_data(world):
    attacker_council, attackers, insiders = world
    routes = list(walk())
    assert {"assessments:project-detail", "assessments:section-edit", "healthz"} <= {
        r.name for r in routes
    }
    pools = parameter_pools(attacker_council)
    targets, unreachable = live_targets(routes, pools, insiders)
    assert not unreachable, (
        f"The walker found no object of another council for {unreachable}: add KWARG_EXAMPLES "
        "or demo data so these URLs are checked (or list them in UNREACHABLE_OK with a reason)."
    )
    secrets = [
        text
        for project in CapitalProject.objects.all()
        for text in (project.title, project.reference)
    ]
    before = snapshot()
    # Routes naming an object (an id) must refuse outsiders outright; routes whose only
    # parameters are words (an export format) are lists and are checked for leaked data instead.
    parameterised = {
        route.name
        for route in routes
        if any(
            type(route.converters.get(name)).__name__.lower().startswith(("int", "uuid"))
            for name in route.params
        )
    }
    problems = []

    anonymous = Client()
    for name, urls in targets.items():
        if name in PUBLIC:
            continue
        for url in urls:
            for method in ("get", "post"):
                response = getattr(anonymous, method)(url)
                if not is_refused_signed_out(response, url):
                    problems.append(
                        f"signed out {method.upper()} {url} ({name}) -> {response.status_code}"
                    )

    for role, user in attackers.items():
        client = Client()
        for name, urls in targets.items():
            if name in PUBLIC:
                continue
            for url in urls:
                for method in ("get", "post"):
                    client.force_login(user)  # a logout URL in the walk must not end the session
                    response = getattr(client, method)(url)
                    status = response.status_code
                    who = f"{role} of another council {method.upper()} {url} ({name}) -> {status}"
                    if status in (403, 404, 405) or is_login_redirect(response):
                        continue
                    if name in parameterised:
                        problems.append(who)
                        continue
                    if status in (301, 302, 303):
                        continue
                    if status != 200:
                        problems.append(who)
                        continue
                    body = (
                        response.content.decode(errors="replace") if not response.streaming else ""
                    )
                    leaked = [secret for secret in secrets if secret in body]
                    if leaked:
                        problems.append(f"{who} shows {leaked[:3]}")

    assert not problems, "Another council's data or actions were reachable:\n" + "\n".join(problems)
    assert snapshot() == before, "a request by someone outside the council changed stored data"


HUGE_ID = 99999999999999999999  # wider than any integer column the databases offer


@pytest.mark.parametrize("username", ["sysadmin", "reviewer.glasgow"])
def test_an_id_too_large_for_the_database_is_not_found(world, username):
    """Every route with an id answers 404 (405 for the wrong method) to an id no column can hold,
    for someone who may see everything and for a council member: never a server error."""
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    problems, checked = [], 0
    for route in walk():
        ints = [
            name
            for name in route.params
            if "int" in type(route.converters.get(name)).__name__.lower()
        ]
        if not ints:
            continue
        values = {name: KWARG_EXAMPLES.get(name, DEFAULT_STRINGS)[0] for name in route.params}
        for name in ints:
            url = route.url({**values, name: HUGE_ID})
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                checked += 1
                if status not in (404, 405):
                    problems.append(f"{method.upper()} {url} ({route.name}) -> {status}")
    assert checked > 40
    assert not problems, "An out-of-range id was not simply 'not found':\n" + "\n".join(problems)


def test_public_pages_are_only_the_listed_ones(world):
    """Signed out, exactly the PUBLIC pages answer without a redirect to sign in."""
    anonymous = Client()
    open_pages = {
        route.name
        for route in walk()
        if not route.params
        and not is_refused_signed_out(anonymous.get(route.url({})), route.url({}))
    }
    assert open_pages <= PUBLIC, open_pages - PUBLIC


def _as(user, method, url):
    client = Client()
    client.force_login(user)
    return getattr(client, method)(url)


def test_a_panel_member_reads_nothing_of_a_draft_stage(world):
    """Every URL pattern, filled with the ids of a draft stage of the panel member's own council
    (its assessment, project, an answer, an action and a report job), GET and POST: the draft's
    findings are as hidden as its consultation page is. A stage in consultation is the contrast."""
    from django.contrib.auth import get_user_model

    from assessments.models import Action, LifecycleStage, ReportJob, StageAssessment

    users = get_user_model().objects
    panel, pm = users.get(username="panel.glasgow"), users.get(username="pm.glasgow")
    draft = StageAssessment.objects.get(project__reference="GCC-HR-014")
    assert draft.status == "draft"
    action = Action.objects.create(
        assessment=draft,
        text="Tenant guidance visits",
        owner="Retrofit manager",
        due_stage=LifecycleStage.objects.get(code="FBC"),
        created_by=pm,
    )
    ids = sorted(
        {
            draft.pk,
            draft.project_id,
            draft.answers.order_by("pk").first().pk,
            action.pk,
            ReportJob.objects.get(project=draft.project).pk,
        }
    )
    secrets = [
        draft.project.title,
        draft.project.reference,
        action.text,
        *draft.answers.exclude(pathway="").values_list("pathway", flat=True),
    ]
    assert (
        _as(panel, "get", reverse("assessments:consultation", args=[draft.pk])).status_code == 404
    )
    before = snapshot()
    problems, checked, walked = [], 0, 0
    for route in walk():
        if route.name in PUBLIC or route.name == "logout":
            continue
        walked += 1
        numbered = [
            n for n in route.params if "int" in type(route.converters.get(n)).__name__.lower()
        ]
        choices = [
            ids if name in numbered else KWARG_EXAMPLES.get(name, DEFAULT_STRINGS)[:2]
            for name in route.params
        ]
        for combo in itertools.product(*choices):
            url = route.url(dict(zip(route.params, combo, strict=False)))
            for method in ("get", "post"):
                response = _as(panel, method, url)
                checked += 1
                status = response.status_code
                if status in (403, 404, 405) or is_login_redirect(response):
                    continue
                who = f"panel member {method.upper()} {url} ({route.name}) -> {status}"
                if numbered or status not in (200, 301, 302, 303):
                    problems.append(who)
                    continue
                body = response.content.decode(errors="replace") if not response.streaming else ""
                if leaked := [secret for secret in secrets if secret in body]:
                    problems.append(f"{who} shows {leaked[:2]}")

    assert walked > 30 and checked >= 2 * walked
    assert not problems, "A panel member could read a draft stage:\n" + "\n".join(problems)
    assert snapshot() == before, "a panel member's request changed stored data"
    # The contrast: once a consultation is open, the same panel role reads the page and its PDF.
    open_stage = StageAssessment.objects.get(project__reference="REN-TR-031")
    renfrew_panel = users.get(username="panel.renfrew")
    assert (
        _as(
            renfrew_panel, "get", reverse("assessments:consultation", args=[open_stage.pk])
        ).status_code
        == 200
    )
    summary = _as(
        renfrew_panel, "get", reverse("assessments:community-summary-pdf", args=[open_stage.pk])
    )
    assert summary.status_code == 200 and summary.content.startswith(b"%PDF")


def test_a_token_of_another_council_reads_none_of_its_data_through_the_api(world):
    """The walk above reads the API with a session; a personal token gets exactly the same
    answers: every API route, filled with other councils' ids, for each role's token."""
    from django.contrib.auth import get_user_model

    from tests.factories import make_api_token

    attacker_council, attackers, _ = world
    pools = parameter_pools(attacker_council)
    api_routes = [r for r in walk() if ("/" + r.route).startswith(API_PREFIX)]
    assert len(api_routes) >= 8
    secrets = [
        text
        for project in CapitalProject.objects.all()
        for text in (project.title, project.reference)
    ]
    insider = Client(
        HTTP_AUTHORIZATION="Bearer "
        + make_api_token(get_user_model().objects.get(username="pm.glasgow"))
    )
    own = CapitalProject.objects.get(reference="GCC-HR-014")
    assert insider.get(f"/api/v1/projects/{own.pk}/").json()["title"] == own.title
    problems = []
    for role, user in attackers.items():
        client = Client(HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}")
        for route in api_routes:
            for values in candidate_values(route, pools)[: LIVE_PER_ROUTE * 4]:
                url = route.url(values)
                response = client.get(url)
                body = response.content.decode(errors="replace")
                if route.params and response.status_code not in (403, 404):
                    problems.append(f"{role} token GET {url} -> {response.status_code}")
                elif any(secret in body for secret in secrets):
                    problems.append(f"{role} token GET {url} shows another council's project")
    assert not problems, "\n".join(problems)
