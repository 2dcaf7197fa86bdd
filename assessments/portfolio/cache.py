"""The board pack's figures kept in Django's cache, so the dashboard, its trends, map and
downloads cost the same however big the portfolio once they have been worked out.

Every cached pack is filed under the portfolio's current generation, a number moved on whenever
a project, a stage assessment (its scoring and status are saved with it) or a status change is
saved or deleted: the next request then works the figures out afresh. The generation moves on at
once and again when the transaction commits, so a request that read the old rows while the
write was in flight cannot keep them. Writes that skip model signals (bulk updates of synthetic
load-test data) are caught by the time limit.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "portfolio:generation"
PACK_SECONDS = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def _move_on() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any fresh number does
        cache.set(GENERATION_KEY, time.time_ns(), None)


def forget() -> None:
    """Work every figure out afresh on the next request (the benchmarks' cold runs, tests)."""
    _move_on()


def portfolio_changed(**kwargs) -> None:
    _move_on()
    transaction.on_commit(_move_on)


def connect() -> None:
    """Called once from the app's ready(): watch the rows the board's figures are made from."""
    from assessments.models import CapitalProject, StageAssessment, StatusChange

    for model in (CapitalProject, StageAssessment, StatusChange):
        uid = f"portfolio-cache-{model.__name__}"
        post_save.connect(portfolio_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(portfolio_changed, sender=model, dispatch_uid=uid + "-delete")


def pack_key(council_ids: list[int], query: str) -> str:
    """Where the figures for these councils and these filters are kept this generation."""
    digest = hashlib.sha256(f"{sorted(council_ids)}|{query}".encode()).hexdigest()[:32]
    return f"portfolio:pack:{generation()}:{digest}"


def remembered(key: str, work):
    value = cache.get(key)
    if value is None:
        value = work()
        cache.set(key, value, PACK_SECONDS)
    return value
