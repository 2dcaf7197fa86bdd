from django import template
from django.utils.safestring import mark_safe

from assessments.place import profile as place

register = template.Library()


@register.simple_tag
def project_place(project):
    """The project's place context (deprivation profile and map) for _place_profile.html."""
    result = place.project_place(project)
    # Built from numbers and escaped names only (place.catchment_map.draw).
    result.svg = mark_safe(result.svg)
    return result


@register.simple_tag
def panel_place_map(project):
    """The project's map in everyday words for the community panel (place.panel_map), with
    its words and table rows; None when it cannot be drawn."""
    drawn = place.panel_map(project)
    if drawn:
        # Built from numbers and escaped names only, as project_place's map.
        drawn.svg = mark_safe(drawn.svg)
    return drawn


@register.simple_tag
def place_attribution():
    return place.ATTRIBUTION


@register.filter
def percent(value):
    """A 0-1 share as a whole percentage, as the reports write it; a dash for unknown."""
    return place.share_text(value)
