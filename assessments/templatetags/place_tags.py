from django import template
from django.utils.safestring import mark_safe

from assessments.place import profile as place

register = template.Library()


@register.simple_tag
def project_place(project):
    """The project's place context (deprivation profile and map) for _place_profile.html."""
    result = place.project_place(project)
    # Built from numbers and escaped names only (place.catchment_svg).
    result.svg = mark_safe(result.svg)
    return result


@register.simple_tag
def place_attribution():
    return place.ATTRIBUTION


@register.filter
def percent(value):
    """A 0-1 share as a whole percentage, as the reports write it; a dash for unknown."""
    return place.share_text(value)
