"""Geometry of the Place Standard compass, in pure Python (no Django), so it can be checked
without a database.

Fourteen spokes, the first straight up and the rest clockwise. A rating r (1 to 7) sits r/7 of
the way from the centre to the rim, so a larger shape means a place people rate more highly.
A theme left unrated has no point: the outline is broken there rather than dropped to the centre,
which would read as the lowest rating.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_SCORE = 7
Point = tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """Where the compass sits: its centre and the radius of the outer ring (a 7)."""

    cx: float
    cy: float
    radius: float


def spoke_angle(index: int, count: int) -> float:
    """Radians clockwise from straight up."""
    return 2 * math.pi * index / count


def at(frame: Frame, index: int, count: int, distance: float) -> Point:
    """The point `distance` from the centre along spoke `index` (SVG y grows downwards)."""
    angle = spoke_angle(index, count)
    return (
        round(frame.cx + distance * math.sin(angle), 2),
        round(frame.cy - distance * math.cos(angle), 2),
    )


def score_point(frame: Frame, index: int, count: int, score: int) -> Point:
    if not 1 <= score <= MAX_SCORE:
        raise ValueError(f"a Place Standard rating is 1 to {MAX_SCORE}, not {score}")
    return at(frame, index, count, frame.radius * score / MAX_SCORE)


def ring(frame: Frame, count: int, score: int) -> list[Point]:
    """The grid polygon through every spoke at rating `score`."""
    return [at(frame, i, count, frame.radius * score / MAX_SCORE) for i in range(count)]


def outline(frame: Frame, scores: list[int | None]) -> tuple[list[Point] | None, list[list[Point]]]:
    """A series of ratings (one per spoke, None for unrated) -> a closed polygon when every
    spoke is rated, else the runs of neighbouring rated spokes as open lines (a run may wrap
    from the last spoke to the first). A lone rated spoke is a run of one point."""
    count = len(scores)
    points = [None if s is None else score_point(frame, i, count, s) for i, s in enumerate(scores)]
    if all(p is not None for p in points):
        return [p for p in points if p is not None], []
    if not any(points):
        return None, []
    start = next(i for i, p in enumerate(points) if p is None)
    runs: list[list[Point]] = []
    current: list[Point] = []
    for step in range(1, count + 1):
        point = points[(start + step) % count]
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return None, runs


def label_anchor(index: int, count: int) -> str:
    """SVG text-anchor so labels sit outside the rim: left of the compass end-aligned, right
    start-aligned, top and bottom centred."""
    x = math.sin(spoke_angle(index, count))
    if abs(x) < 0.2:
        return "middle"
    return "start" if x > 0 else "end"


def wrap(text: str, width: int = 14) -> list[str]:
    """Split a theme name into short lines at spaces (the compass's labels are narrow)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
