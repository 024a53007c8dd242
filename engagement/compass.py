"""The Place Standard compass: a radar of the 14 theme scores, drawn as SVG on the server.

Geometry only; engagement/templates/engagement/_compass.html draws it. Server-drawn so that it
needs no JavaScript, prints as it looks, and can sit on any page (results, Councillor Account,
public ward page) from the same data. Colours are SVG attributes, not CSS, so a printed or saved
copy keeps them, and the two series differ in line style as well as colour.
"""
import math
from dataclasses import dataclass, field

from .models import SCORE_MAX

WIDTH, HEIGHT = 640, 600
CX, CY = WIDTH / 2, HEIGHT / 2
RADIUS = 190
LABEL_GAP = 18
LINE_HEIGHT = 16
WRAP_AT = 14


@dataclass
class Label:
    x: float
    y: float
    anchor: str
    lines: list[str]
    dy_first: float


@dataclass
class Series:
    name: str
    points: str  # "x,y x,y …" for <polygon points>
    dots: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Compass:
    id: str
    title: str
    description: str
    width: int
    height: int
    rings: list[str]
    ring_labels: list[tuple[float, float, int]]
    spokes: list[tuple[float, float, float, float]]
    labels: list[Label]
    series: Series
    comparison: Series | None


def _angle(index: int, count: int) -> float:
    return -math.pi / 2 + 2 * math.pi * index / count  # the first theme at twelve o'clock, clockwise


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    r = RADIUS * max(0.0, min(value, SCORE_MAX)) / SCORE_MAX
    a = _angle(index, count)
    return round(CX + r * math.cos(a), 1), round(CY + r * math.sin(a), 1)


def _wrap(name: str) -> list[str]:
    lines, line = [], ""
    for word in name.split():
        if line and len(line) + 1 + len(word) > WRAP_AT:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _label(index: int, count: int, name: str) -> Label:
    a = _angle(index, count)
    x, y = CX + (RADIUS + LABEL_GAP) * math.cos(a), CY + (RADIUS + LABEL_GAP) * math.sin(a)
    cos, sin = math.cos(a), math.sin(a)
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    lines = _wrap(name)
    # Above the compass the text grows upwards, below it downwards, at the sides it is centred.
    if sin < -0.2:
        dy_first = -(len(lines) - 1) * LINE_HEIGHT
    elif sin > 0.2:
        dy_first = LINE_HEIGHT * 0.8
    else:
        dy_first = -(len(lines) - 1) * LINE_HEIGHT / 2 + 5
    return Label(round(x, 1), round(y, 1), anchor, lines, dy_first)


def _series(name: str, values: list[float | None]) -> Series:
    count = len(values)
    points = [_point(i, count, value or 0) for i, value in enumerate(values)]
    dots = [point for point, value in zip(points, values, strict=True) if value is not None]
    return Series(name=name, points=" ".join(f"{x},{y}" for x, y in points), dots=dots)


def _fmt(value: float | None) -> str:
    return "no answers" if value is None else f"{value:.1f}"


def build_compass(*, id: str, title: str, names: list[str], values: list[float | None], series_name: str,
                  comparison: list[float | None] | None = None, comparison_name: str = "") -> Compass:
    """`values` (and `comparison`) are mean scores in theme order; None where nobody answered."""
    count = len(names)
    rings = [" ".join("{},{}".format(*_point(i, count, level)) for i in range(count))
             for level in range(1, SCORE_MAX + 1)]
    ring_labels = [(CX + 4, round(CY - RADIUS * level / SCORE_MAX + 4, 1), level) for level in range(1, SCORE_MAX + 1)]
    spokes = [(CX, CY, *_point(i, count, SCORE_MAX)) for i in range(count)]
    parts = [f"{name} {_fmt(value)}" for name, value in zip(names, values, strict=True)]
    description = (f"Radar chart of mean scores out of {SCORE_MAX} for each of the {count} themes, "
                   f"where {SCORE_MAX} means very little room for improvement. {series_name}: "
                   + "; ".join(parts) + ".")
    if comparison is not None:
        description += f" Compared with {comparison_name}: " + "; ".join(
            f"{name} {_fmt(value)}" for name, value in zip(names, comparison, strict=True)) + "."
    return Compass(
        id=id, title=title, description=description, width=WIDTH, height=HEIGHT, rings=rings,
        ring_labels=ring_labels, spokes=spokes, labels=[_label(i, count, name) for i, name in enumerate(names)],
        series=_series(series_name, values),
        comparison=_series(comparison_name, comparison) if comparison is not None else None,
    )
