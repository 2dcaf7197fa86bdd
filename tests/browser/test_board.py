"""The portfolio dashboard as the programme office sees it on a phone and on a laptop: filter
controls show their whole value, the page never scrolls sideways, and axe finds nothing."""

import pytest
from django.urls import reverse

from tests.browser.helpers import axe_violations, describe_violations, seed

pytestmark = pytest.mark.django_db(transaction=True)

# Selects whose chosen option's text is wider than the box that shows it (less the arrow).
CLIPPED_SELECTS = """() => [...document.querySelectorAll('main select')].filter(select => {
    const style = getComputedStyle(select);
    const ruler = document.createElement('canvas').getContext('2d');
    ruler.font = `${style.fontSize} ${style.fontFamily}`;
    const text = select.options[select.selectedIndex].text;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return ruler.measureText(text).width > room;
}).map(select => select.name)"""


def test_dashboard_filters_show_their_values_at_phone_and_laptop_widths(
    reference, page, sign_in_as
):
    demo = seed()
    sign_in_as(demo.user("pmo"))
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse("assessments:dashboard"))
        page.locator("#id_flag").select_option(label="F6 Monitoring indicator needed")
        assert page.evaluate(CLIPPED_SELECTS) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = axe_violations(page)
        assert not violations, describe_violations(f"dashboard at {width} px", violations)
