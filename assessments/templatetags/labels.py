"""Display words shared by every page, so templates name people and ratings the way the rest of
the product does."""

from django import template

from assessments import presenters
from assessments.enums import RAG_WORDS

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A person as the product names them everywhere (presenters.person_name)."""
    return presenters.person_name(user)


@register.filter
def rag_word(rag) -> str:
    """The short word for a harm rating: Red, Amber, Green or Grey."""
    return RAG_WORDS.get(str(rag), RAG_WORDS["grey"])


@register.filter
def flag_name(code) -> str:
    """A flag by what it asks for ("Full health impact assessment recommended"), not its code."""
    return presenters.flag_name(code)


@register.filter
def plain_words(text) -> str:
    """Scoring text with score and significance spelled out and groups named, not coded."""
    return presenters.plain_words(text)


@register.inclusion_tag("mywork/_term.html")
def term(anchor: str, words: str):
    """A glossary term where it appears: the words link to their explanation on the glossary
    page (a link, so keyboard and screen reader users reach it as easily as a pointer)."""
    return {"anchor": anchor, "words": words, "hint": GLOSSARY_HINTS.get(anchor, "")}


GLOSSARY_HINTS = {
    "score": "What the tool's rules make of an impact: significance times the equity multiplier.",
    "significance": "Likelihood times magnitude: how much an impact matters before equity.",
    "equity-index": "The share of the harm that falls on priority groups; higher is worse.",
    "rating": "Red, amber, green or grey: the overall harm rating.",
}
