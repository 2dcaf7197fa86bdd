"""The compass's geometry and drawing: pure Python, no database."""

import xml.etree.ElementTree as ET

import pytest

from assessments.placestandard.compass import Frame, label_anchor, outline, score_point, wrap
from assessments.placestandard.compass_svg import Series, compass_svg

FRAME = Frame(cx=100, cy=100, radius=70)
THEMES = [f"Theme {n}" for n in range(14)]
SVG = "{http://www.w3.org/2000/svg}"


def test_a_seven_sits_on_the_rim_straight_up_and_a_higher_rating_further_out():
    assert score_point(FRAME, 0, 14, 7) == (100, 30)
    assert score_point(FRAME, 0, 14, 1) == (100, 90)
    x, _ = score_point(FRAME, 7, 14, 7)  # half way round: straight down
    assert x == pytest.approx(100)
    with pytest.raises(ValueError):
        score_point(FRAME, 0, 14, 8)


def test_every_rated_theme_gives_a_closed_shape_and_a_gap_breaks_it():
    closed, runs = outline(FRAME, [4] * 14)
    assert len(closed) == 14 and runs == []
    scores = [4] * 14
    scores[3] = None
    closed, runs = outline(FRAME, scores)
    assert closed is None
    # One run of 13 points, from the theme after the gap round to the one before it.
    assert [len(r) for r in runs] == [13]
    assert runs[0][0] == score_point(FRAME, 4, 14, 4)
    assert outline(FRAME, [None] * 14) == (None, [])


def test_labels_sit_outside_the_rim_and_long_names_wrap():
    assert label_anchor(0, 14) == "middle"
    assert label_anchor(3, 14) == "start"
    assert label_anchor(10, 14) == "end"
    assert wrap("Influence and sense of control") == ["Influence and", "sense of", "control"]


def test_the_svg_names_itself_and_each_point_and_escapes_text():
    svg = compass_svg(
        ["<script>"] + THEMES[1:],
        [Series("Before", [3] * 14, "earlier"), Series("After & now", [5] * 13 + [None])],
        title="Compass",
        description="Two points in time",
        ident="c1",
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "After & now: <script> rated 5 out of 7" in titles
    assert "Before: Theme 13 rated 3 out of 7" in titles
    assert not any("Theme 13 rated" in t and t.startswith("After") for t in titles)
    # Earlier dashed with squares, later solid with circles: not colour alone.
    assert len(root.findall(f".//{SVG}rect")) >= 14 and len(root.findall(f".//{SVG}circle")) >= 13
    assert "<script>" not in svg
