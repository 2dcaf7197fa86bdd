"""Outcome indicators in the Word versions of the stage report and the community summary (the
same content as the indicator table and charts of templates/reports/includes/_stage_sections.html
and the summary's "What was promised" section)."""

from __future__ import annotations


def outcome_indicators(w, outcomes) -> None:
    """The stage report's table of indicators, then each indicator's chart with its caption."""
    if not outcomes:
        return
    w.table(
        "Outcome indicators and their measurements",
        ["Indicator", "Baseline", "Target", "Measurements", "Status"],
        [
            [
                f"{o.name} ({o.determinant})",
                o.baseline,
                o.target,
                "; ".join(f"{day}: {value}" for day, value in o.measurements) or "None yet",
                f"{o.status}. {o.reason}",
            ]
            for o in outcomes
        ],
    )
    for o in outcomes:
        if o.chart:
            w.figure(o.chart)


def outcomes_plain(w, outcomes) -> None:
    """For residents: what was promised and what has been measured, with each chart."""
    if not outcomes:
        return
    w.heading("What was promised, and what has happened so far", 2)
    w.bullets([f"{o.promise} {o.measured}" for o in outcomes])
    for o in outcomes:
        if o.chart:
            w.figure(o.chart)
