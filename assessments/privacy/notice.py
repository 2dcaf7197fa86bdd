"""The privacy notice: its content is data (the council's contacts, the published retention
rules), its wording is the template privacy/_notice_text.html. The reading age shown to the
administrator is measured on the notice exactly as a reader gets it."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from textstat.textstat import textstatistics

from assessments.models import Council, CouncilPrivacy
from assessments.privacy import policies

# British English, which also keeps textstat on its bundled hyphenation dictionary (pyphen): for
# "en_US" it would fetch the CMU pronouncing dictionary from the internet at run time.
_READER = textstatistics()
_READER.set_lang("en-GB")

ICO = {
    "name": "Information Commissioner's Office",
    "phone": "0303 123 1113",
    "web": "https://ico.org.uk/make-a-complaint/",
}


@dataclass(frozen=True)
class ReadingLevel:
    reading_ease: float
    reading_age: int

    @property
    def verdict(self) -> str:
        if self.reading_age <= 12:
            return "Plain: most adults read this easily."
        if self.reading_age <= 15:
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
    """UK reading age is about the US school grade plus five years."""
    grade = _READER.flesch_kincaid_grade(text)
    return ReadingLevel(
        reading_ease=round(_READER.flesch_reading_ease(text), 1),
        reading_age=max(5, round(grade + 5)),
    )
