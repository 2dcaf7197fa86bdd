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
