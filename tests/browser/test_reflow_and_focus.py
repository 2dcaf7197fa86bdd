"""WCAG 2.2 barriers axe does not see, checked as a keyboard user on a desktop and a phone:
the focused control is never under the sticky save bar (2.4.11), every control shows the same
focus ring and has a border of at least 3:1 (1.4.11, 2.4.7), targets are at least 24 px (2.5.8),
the navigation folds into a menu on a phone and wide tables scroll in a focusable box (1.4.10)."""

from __future__ import annotations

from django.urls import reverse

from tests.browser.helpers import seed

FOCUSED_AND_BAR = """async () => {
  // Let scrolling settle (Bootstrap scrolls smoothly): the browser's own scroll into view, then
  // the page's correction; stop once the page has not moved for three frames.
  let still = 0, last = -1;
  for (let i = 0; i < 90 && still < 3; i++) {
    await new Promise(requestAnimationFrame);
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
  }
  const el = document.activeElement, bar = document.querySelector('.sticky-actions');
  if (!el || el === document.body || !bar) return null;
  // Only what lies behind the bar is hidden: a control below the bar's own place (the footer,
  // once the form has scrolled past) is not covered by it.
  const box = el.getBoundingClientRect(), barBox = bar.getBoundingClientRect();
  return {inBar: bar.contains(el), name: el.name || el.innerText || el.tagName,
          covered: box.bottom > barBox.top && box.top < barBox.bottom,
          bottom: box.bottom, barTop: barBox.top,
          sticky: getComputedStyle(bar).position === 'sticky'};
}"""

# Each visible control (one in a closed <details> is not shown, so not counted): its size, its border colour, and (once focused) its outline and the
# colour behind the outline (the nearest ancestor with a background).
CONTROL_STYLES = """() => {
  const background = el => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  const selector = 'input:not([type=hidden]), select, textarea, button, a.btn';
  return [...document.querySelectorAll(selector)].filter(el => el.checkVisibility() && !el.disabled).map(el => {
    el.focus();
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    return {name: el.name || el.innerText.trim() || el.type, tag: el.tagName, type: el.type || '',
            width: box.width, height: box.height, border: style.borderTopColor,
            borderWidth: parseFloat(style.borderTopWidth), outline: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth), outlineColour: style.outlineColor,
            behind: background(el), focused: document.activeElement === el};
  });
}"""


WHITE = "rgb(255, 255, 255)"


def _rgb(css: str) -> tuple[float, float, float]:
    parts = css[css.index("(") + 1 : css.index(")")].replace("/", ",").split(",")
    return tuple(float(p) for p in parts[:3])  # type: ignore[return-value]


def contrast(a: str, b: str) -> float:
    def luminance(rgb):
        channels = []
        for value in rgb:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    high, low = sorted((luminance(_rgb(a)), luminance(_rgb(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def section_url(demo) -> str:
    return reverse("assessments:section-edit", args=[demo.assessment().pk, "D05"])


def test_the_save_bar_never_hides_the_control_with_focus(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(section_url(demo))
    page.locator("h1").click()  # start the Tab order in the page body

    seen = 0
    for _ in range(45):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUSED_AND_BAR)
        if not state or state["inBar"] or not state["sticky"]:
            continue
        seen += 1
        assert not state["covered"], f"{state['name']} is under the save bar"
    assert seen > 10

    # On a phone the bar would take a large share of the screen: there it is not sticky.
    page.set_viewport_size({"width": 390, "height": 640})
    bar = page.locator(".sticky-actions")
    sticky = bar.evaluate("bar => getComputedStyle(bar).position") == "sticky"
    assert not sticky or bar.bounding_box()["height"] <= 0.15 * 640


def test_every_control_has_a_visible_focus_ring_a_firm_border_and_room_to_tap(
    reference, page, sign_in_as
):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    page.goto(section_url(demo))
    # Open every folded part (residual risk, monitoring) so its controls are checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.keyboard.press("Tab")  # a keyboard user: focus rings show for buttons as well
    controls = page.evaluate(CONTROL_STYLES)

    assert {c["tag"] for c in controls} >= {"INPUT", "SELECT", "TEXTAREA", "BUTTON"}
    problems = []
    for c in controls:
        where = f"{c['tag']} {c['name']!r}"
        if c["outline"] != "solid" or c["outlineWidth"] < 2:
            problems.append(f"{where}: no visible focus ring ({c['outline']} {c['outlineWidth']})")
        elif contrast(c["outlineColour"], c["behind"]) < 3:
            ring = contrast(c["outlineColour"], c["behind"])
            problems.append(f"{where}: focus ring {ring:.2f}:1")
        bordered = c["tag"] in {"SELECT", "TEXTAREA"} or c["type"] in {"text", "checkbox"}
        border_contrast = contrast(c["border"], WHITE)
        if bordered and border_contrast < 3:
            problems.append(f"{where}: border {border_contrast:.2f}:1")
        if min(c["width"], c["height"]) < 24:
            problems.append(f"{where}: target {c['width']:.0f}x{c['height']:.0f} px")
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_navigation_is_a_menu_and_tables_scroll_in_a_focusable_box(
    reference, page, sign_in_as
):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(reverse("assessments:project-list"))
    nav = page.get_by_role("navigation", name="Main")
    projects_link = nav.get_by_role("link", name="Projects")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert projects_link.is_hidden()
    menu = nav.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    projects_link.wait_for(state="visible")
    assert menu.get_attribute("aria-expanded") == "true"

    table_box = page.locator(".table-responsive")
    assert table_box.get_attribute("tabindex") == "0"
    assert table_box.get_attribute("role") == "region"
    assert table_box.get_attribute("aria-label").startswith("Capital projects you can see")
    table_box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-responsive').scrollLeft > 0")

    page.set_viewport_size({"width": 1280, "height": 800})
    assert projects_link.is_visible() and menu.is_hidden()
