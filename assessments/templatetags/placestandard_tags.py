from django import template

from assessments import permissions
from assessments.placestandard.plain import RELATIVE_PLAIN, plain_place_change

register = template.Library()


@register.simple_tag
def panel_place_change(user, assessment) -> dict:
    """Place before and after in everyday words, for whoever may read the panel's summary."""
    if not permissions.can_read_place_plain(user, assessment):
        return {"lines": []}
    return {"lines": plain_place_change(assessment), "relative": RELATIVE_PLAIN}
