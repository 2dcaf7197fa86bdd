"""The privacy notice: its content is data (the council's contacts, the published retention
rules), its wording is the template privacy/_notice_text.html. The reading age shown to the
administrator is measured on the notice exactly as a reader gets it."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from assessments.community.readability import READING_AGE_LIMIT, reading_age
from assessments.models import Council, CouncilPrivacy
from assessments.privacy import policies

ICO = {
    "name": "Information Commissioner's Office",
    "phone": "0303 123 1113",
    "web": "https://ico.org.uk/make-a-complaint/",
}


@dataclass(frozen=True)
class ReadingLevel:
    """The notice's reading age, measured as the panel's public summaries are
    (community.readability), so one text gets one age wherever CHIIA shows it."""

    reading_age: int | None

    @property
    def verdict(self) -> str:
        if self.reading_age is None:
            return "Too short to judge."
        if self.reading_age <= READING_AGE_LIMIT:
            return "Plain: most adults read this easily."
        if self.reading_age <= READING_AGE_LIMIT + 3:
            return "Fairly plain: shorter sentences and everyday words would help some readers."
        return "Hard to read: use shorter sentences and everyday words."


def notice_context(council: Council | None) -> dict:
    """Everything the notice shows; `council` is the controller, or None for the general notice."""
    policy, by_code = policies.current_rules()
    contacts = None
    if council is not None:
        contacts = CouncilPrivacy.objects.filter(council=council).first() or CouncilPrivacy(
            council=council
        )
    return {
        "council": council,
        "contacts": contacts,
        "retention": list(by_code.values()),
        "retention_version": policy.version,
        "ico": ICO,
    }


def notice_text(council: Council | None) -> str:
    html = render_to_string("privacy/_notice_text.html", notice_context(council))
    return " ".join(strip_tags(html).split())


def reading_level(text: str) -> ReadingLevel:
    return ReadingLevel(reading_age=reading_age(text))
