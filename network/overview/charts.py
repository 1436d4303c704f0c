"""Small bar charts as server-rendered SVG: no JavaScript, no inline style, readable in print."""

import dataclasses


@dataclasses.dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclasses.dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    max_value: int
    baseline: float


def bar_chart(labels: list[str], values: list[int], *, width: int = 640, height: int = 200) -> BarChart:
    """Geometry for a bar chart; the template draws it (templates/overview/_bar_chart.svg)."""
    top, bottom = 16, 28  # room for the value above a bar and the label below the axis
    max_value = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    usable = height - top - bottom
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_height = usable * value / max_value
        bars.append(
            Bar(
                label,
                value,
                x=i * slot + slot * 0.15,
                y=top + usable - bar_height,
                width=slot * 0.7,
                height=bar_height,
            )
        )
    return BarChart(bars, width, height, max_value, baseline=top + usable)
