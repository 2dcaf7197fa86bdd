"""Whole-page caching for the busiest signed-in pages.

A page is stored under a key that its view derives from everything the page shows and from who
is looking (for the assessment page: presenters.assessment_page_key), so a stored copy is either
exactly what would be rendered now or never found again. There is no invalidation to forget:
old copies simply age out of the cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse

# A day: a copy's key changes with the content, so this only bounds what the key leaves out
# (documented beside each key) and how long unused copies take space.
PAGE_SECONDS = 24 * 3600


def cached_page(request, key: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The stored page for `key`, else the page `build` renders (stored when it is a plain 200).

    A request carrying a one-off message ("Saved", "Submitted for review") is always rendered
    afresh and never stored, because the message belongs to that response alone. Counting the
    messages does not mark them as read; rendering them does."""
    if len(messages.get_messages(request)):
        return build()
    cache_key = f"page:{key}"
    body = cache.get(cache_key)
    if body is not None:
        return HttpResponse(body)
    response = build()
    if response.status_code == 200 and not response.streaming:
        cache.set(cache_key, response.content, PAGE_SECONDS)
    return response
