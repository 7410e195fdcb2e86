"""Small inline SVG bar charts for the HTML report: no script, no request, they print."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

# Drawing units of the chart's view box; the page scales it to its width.
_WIDTH, _HEIGHT = 360, 150
_TOP, _BOTTOM, _SIDE = 18, 22, 6


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label under the axis and its value."""

    label: str
    value: int


def bar_chart(bars: list[Bar], *, caption: str, unit: str) -> Markup:
    """A bar chart as an inline ``<svg>``, with its caption, each bar's value written above it
    and a tooltip (``<title>``) per bar.

    >>> chart = bar_chart([Bar("a", 2), Bar("<b>", 1)], caption="C", unit="u")
    >>> "&lt;b&gt;: 1 u" in chart and "<b>" not in chart
    True
    """
    highest = max((bar.value for bar in bars), default=0) or 1
    slot = (_WIDTH - 2 * _SIDE) / max(len(bars), 1)
    scale = (_HEIGHT - _TOP - _BOTTOM) / highest
    parts = [
        f'<figure class="plot"><svg viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-label="{escape(caption)}">'
        f'<line class="axis" x1="{_SIDE}" x2="{_WIDTH - _SIDE}" '
        f'y1="{_HEIGHT - _BOTTOM}" y2="{_HEIGHT - _BOTTOM}"/>'
    ]
    for number, bar in enumerate(bars):
        height = bar.value * scale
        x = _SIDE + number * slot
        y = _HEIGHT - _BOTTOM - height
        centre = x + slot / 2
        label, tip = escape(bar.label), escape(f"{bar.label}: {bar.value:,} {unit}")
        parts.append(
            f'<g><title>{tip}</title><rect class="bar" x="{x + slot * 0.12:.1f}" y="{y:.1f}" '
            f'width="{slot * 0.76:.1f}" height="{height:.1f}"/>'
            f'<text class="value" x="{centre:.1f}" y="{y - 4:.1f}">{bar.value:,}</text>'
            f'<text class="label" x="{centre:.1f}" y="{_HEIGHT - 6}">{label}</text></g>'
        )
    parts.append(f"</svg><figcaption>{escape(caption)}</figcaption></figure>")
    return Markup("".join(parts))
