"""Small server-rendered SVG bar charts (no JavaScript, no CDN): geometry here, markup in templates."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float
    y: int
    width: float
    text_x: float


def bar_chart(
    series: list[tuple[str, float]], *, width: int = 320, bar_height: int = 22, gap: int = 10
) -> dict:
    """Horizontal bars: labels above each bar so that the chart stays readable on a 360-px phone."""
    top = max((value for _label, value in series), default=0) or 1
    bars = []
    y = 0
    for label, value in series:
        bar_width = max(2.0, (width - 60) * value / top) if value else 0
        bars.append(
            Bar(
                label=str(label),
                value=value,
                y=y + 16,
                width=round(bar_width, 1),
                text_x=round(bar_width + 6, 1),
            )
        )
        y += 16 + bar_height + gap
    return {"bars": bars, "width": width, "height": max(y, 1), "bar_height": bar_height}
