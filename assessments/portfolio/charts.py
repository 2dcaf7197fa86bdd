"""The dashboard's trend chart, drawn as SVG by our own code. Colour is never the only signal:
every bar segment has a title, each bar carries its total, and the page prints the same figures
in a table."""

from __future__ import annotations

from django.utils.html import escape

from assessments.portfolio.trends import Trends

RATING_FILLS = {
    "red": "#b3261e",
    "amber": "#e8a33d",
    "green": "#2e7d32",
    "grey": "#8a939c",
    "": "#d9d9d9",
}
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 16, 70
FONT = 'font-family="DejaVu Sans, sans-serif"'


def trend_summary(trends: Trends) -> str:
    """The chart's text alternative: the totals per quarter, in words."""
    parts = [f"{row.label}: {row.signed_off}" for row in trends.rows]
    return (
        "Stage assessments signed off each quarter, stacked by overall rating (red, amber, green, "
        "grey, not scored). Totals: " + "; ".join(parts) + "."
    )


def trend_svg(trends: Trends) -> str:
    """Stacked bars: one per quarter, segments per rating, worst at the bottom."""
    tallest = max((row.signed_off for row in trends.rows), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(trends.rows), 1)
    bar_w = step * 0.6
    shapes = [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#44505c"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11" {FONT}>{tallest}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end" font-size="11" {FONT}>0</text>',
    ]
    for i, row in enumerate(trends.rows):
        x = LEFT + i * step + (step - bar_w) / 2
        y = float(TOP + plot_h)
        for (rating, label), n in zip(trends.rating_labels, row.ratings, strict=True):
            if not n:
                continue
            h = plot_h * n / tallest
            y -= h
            shapes.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{RATING_FILLS[rating]}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{escape(row.label)}: {n} {escape(label)}</title></rect>"
            )
        centre = x + bar_w / 2
        shapes.append(
            f'<text x="{centre:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" {FONT}>'
            f"{row.signed_off}</text>"
            f'<text x="{centre:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" font-size="11" '
            f"{FONT}>{escape(row.label)}</text>"
        )
    legend_y = HEIGHT - 30
    for i, (rating, label) in enumerate(trends.rating_labels):
        x = LEFT + i * 122
        shapes.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{RATING_FILLS[rating]}" '
            f'stroke="#44505c" stroke-width="0.5"/><text x="{x + 16}" y="{legend_y + 10}" '
            f'font-size="10" {FONT}>{escape(label.split(" (")[0])}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="trend-chart-title trend-chart-desc" class="trend-chart">'
        f'<title id="trend-chart-title">Signed-off stage assessments by quarter and rating</title>'
        f'<desc id="trend-chart-desc">{escape(trend_summary(trends))}</desc>'
        + "".join(shapes)
        + "</svg>"
    )
