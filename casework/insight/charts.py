"""Horizontal bar charts drawn as SVG on the server, as the Place Standard compass is
(engagement/compass.py): no JavaScript, prints as it looks, colours as attributes. Each chart has a
title and a description that says every value, and the page puts its data table beside it. Two
series differ in fill as well as colour (solid blue; white with a black outline), for anyone who
cannot tell the colours apart."""
from dataclasses import dataclass

LABEL_WIDTH = 210
BAR_AREA = 330
VALUE_GAP = 6
VALUE_WIDTH = 60
BAR_HEIGHT = 14
GROUP_GAP = 12
TOP = 8
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
STYLES = [{"fill": "#1d70b8", "stroke": "#1d70b8"}, {"fill": "#ffffff", "stroke": "#0b0c0c"}]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str
    value_x: float
    value_text: str


@dataclass
class Row:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    rows: list[Row]
    series: list[dict]
    axis_x: float


def _text(value, unit: str) -> str:
    if value is None:
        return "none"
    return f"{value:g}{unit}"


def _clip(label: str, length: int = 30) -> str:
    return label if len(label) <= length else label[:length - 1] + "…"


def build_bar_chart(*, id: str, title: str, labels: list[str], series: list[tuple[str, list]], unit: str = "",
                    maximum: float | None = None) -> BarChart:
    """`series`: (name, values), values in the order of `labels`; None draws no bar."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = maximum if maximum is not None else max(values + [0]) or 1
    group = BAR_HEIGHT * len(series) + GROUP_GAP
    rows = []
    for i, label in enumerate(labels):
        y0 = TOP + i * group
        bars = []
        for j, (_, vs) in enumerate(series):
            value = vs[i]
            width = 0 if value is None else max(BAR_AREA * value / top, 1 if value else 0)
            style = STYLES[j % len(STYLES)]
            bars.append(Bar(x=LABEL_WIDTH, y=y0 + j * BAR_HEIGHT, width=round(width, 1), height=BAR_HEIGHT - 2,
                            fill=style["fill"], stroke=style["stroke"],
                            value_x=round(LABEL_WIDTH + width + VALUE_GAP, 1), value_text=_text(value, unit)))
        rows.append(Row(label=_clip(label), label_y=y0 + BAR_HEIGHT * len(series) / 2 + 4, bars=bars))
    parts = []
    for i, label in enumerate(labels):
        parts.append(f"{label}: " + ", ".join(f"{name} {_text(vs[i], unit)}" for name, vs in series))
    description = f"Bar chart. {'; '.join(parts)}." if parts else "Bar chart with no figures for this period."
    return BarChart(id=id, title=title, description=description, width=WIDTH,
                    height=TOP * 2 + max(len(labels), 1) * group, label_width=LABEL_WIDTH, rows=rows,
                    series=[{"name": name, **STYLES[j % len(STYLES)]} for j, (name, _) in enumerate(series)],
                    axis_x=LABEL_WIDTH)
