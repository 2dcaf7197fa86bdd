"""Place before and after in the Word versions of the stage report and community summary (the
same content as templates/reports/includes/_place_change.html and the summary's plain lines)."""

from __future__ import annotations


def place_change(w, pc) -> None:
    """The SIMD comparison, the relative-ranks note, and the Place Standard compass and table."""
    if pc is None:
        return
    comparison, compass = pc.comparison, pc.compass
    w.heading("Place before and after", 2)
    w.heading("Deprivation at baseline and later", 3)
    for note in comparison.notes:
        w.para(note)
    if comparison.located:
        later = comparison.later
        w.table(
            f"The catchment's residents under {comparison.baseline.label} (baseline)"
            + (f" and {later.label}" if later else ""),
            ["Measure", comparison.baseline.label, *([later.label, "Change"] if later else [])],
            [
                [row.label, row.baseline, *([row.later, row.change] if later else [])]
                for row in comparison.measures
            ],
        )
    w.para(("SIMD ranks are relative. ", True), comparison.relative_note)
    w.heading("Place Standard", 3)
    if compass.later is None:
        w.para("No Place Standard ratings had been recorded by this stage.")
        return
    for chart in pc.compass_charts:
        w.figure(chart)
    w.table(
        "Place Standard ratings by theme, 1 (a lot of room for improvement) to 7 (very little)",
        ["Theme", *compass.columns],
        [[row.theme, *row.figures] for row in compass.rows],
    )


def place_change_plain(w, pc) -> None:
    if pc is None or not pc.plain:
        return
    w.heading("How the place has changed", 3)
    for line in pc.plain:
        w.para(line)
    w.para(pc.relative_plain)
