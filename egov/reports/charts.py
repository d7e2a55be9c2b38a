"""Server-rendered SVG charts: pure functions from numbers to SVG markup.

No JavaScript and no chart library: the pages run under a strict CSP (``style-src 'self'``), so
the markup uses SVG presentation attributes (``fill="..."``) and never a ``style`` attribute.
Charts are readable without colour: bars carry a hatch pattern and their value printed on
them, points carry a marker and their value, and every chart has a title and a description
for assistive technology. Pages pair each chart with a data table (see ``_chart.html``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 22, 40
TEXT = "#212529"
AXIS = "#6c757d"
GRID = "#dee2e6"
FONT = 'font-family="system-ui, sans-serif"'

# Fills that differ by pattern, not only by colour.
PATTERNS = {
    "hatch": (
        '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#cfe2ff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#0a58ca" stroke-width="2.5"/></pattern>'
    ),
    "dots": (
        '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#d1e7dd"/><circle cx="3" cy="3" r="1.6" fill="#146c43"/></pattern>'
    ),
    "cross": (
        '<pattern id="{id}" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#fff3cd"/><path d="M0 4H8M4 0V8" stroke="#997404" '
        'stroke-width="1.5"/></pattern>'
    ),
}
STROKES = {"hatch": "#0a58ca", "dots": "#146c43", "cross": "#997404"}


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line (a target or a baseline) drawn dashed, with its label."""

    value: float
    label: str


def _fmt(value: float) -> str:
    """Coordinates with at most one decimal, so the markup stays short and stable."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(*, chart_id: str, title: str, description: str, extra_defs: str = "") -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" class="egov-chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT}>',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    if extra_defs:
        parts.append(f"<defs>{extra_defs}</defs>")
    return parts


def _x_labels(labels: Sequence[str], centres: Sequence[float]) -> list[str]:
    y = HEIGHT - BOTTOM + 16
    return [
        f'<text x="{_fmt(x)}" y="{y}" text-anchor="middle" font-size="13" fill="{TEXT}">{escape(label)}</text>'
        for label, x in zip(labels, centres, strict=True)
    ]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[int | float],
    value_labels: Sequence[str] | None = None,
    pattern: str = "hatch",
) -> SafeString:
    """A vertical bar chart, one bar per label, each bar's value printed above it."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    shown = list(value_labels) if value_labels is not None else [str(v) for v in values]
    fill_id = f"{chart_id}-{pattern}"
    parts = _open(
        chart_id=chart_id,
        title=title,
        description=description,
        extra_defs=PATTERNS[pattern].format(id=fill_id),
    )
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    base_y = TOP + plot_h
    top = max([*values, 0])
    step = plot_w / max(len(values), 1)
    bar_w = step * 0.62
    centres = [LEFT + step * (i + 0.5) for i in range(len(values))]
    parts.append(
        f'<line x1="{LEFT}" y1="{base_y}" x2="{WIDTH - RIGHT}" y2="{base_y}" stroke="{AXIS}" stroke-width="1"/>'
    )
    for value, label, x in zip(values, shown, centres, strict=True):
        height = plot_h * value / top if top else 0
        y = base_y - height
        if height > 0:
            parts.append(
                f'<rect x="{_fmt(x - bar_w / 2)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" height="{_fmt(height)}" '
                f'fill="url(#{fill_id})" stroke="{STROKES[pattern]}" stroke-width="1"/>'
            )
        parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(y - 4)}" text-anchor="middle" font-size="13" '
            f'font-weight="bold" fill="{TEXT}">{escape(label)}</text>'
        )
    parts.extend(_x_labels(labels, centres))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text node above is escaped


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    value_labels: Sequence[str] | None = None,
    maximum: float = 100.0,
    axis_labels: Sequence[tuple[float, str]] = ((0, "0%"), (50, "50%"), (100, "100%")),
    reference: Reference | None = None,
) -> SafeString:
    """A line over a fixed scale (0..maximum, percentages by default); ``None`` values are gaps
    (e.g. a month with nothing resolved) and break the line rather than dropping to zero."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    shown = list(value_labels) if value_labels is not None else ["" if v is None else str(v) for v in values]
    parts = _open(chart_id=chart_id, title=title, description=description)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(values), 1)
    centres = [LEFT + step * (i + 0.5) for i in range(len(values))]

    def y_of(value: float) -> float:
        clipped = min(max(value, 0.0), maximum)
        return TOP + plot_h * (1 - clipped / maximum) if maximum else TOP + plot_h

    parts += _scale(axis_labels, reference, y_of)
    parts += _line_marks(values, shown, centres, y_of)
    parts.extend(_x_labels(labels, centres))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text node above is escaped


def _scale(
    axis_labels: Sequence[tuple[float, str]], reference: Reference | None, y_of: Callable[[float], float]
) -> list[str]:
    """The line chart's grid lines with their labels, and the dashed reference line."""
    out: list[str] = []
    for tick, tick_label in axis_labels:
        tick_y = _fmt(y_of(tick))
        out.append(
            f'<line x1="{LEFT}" y1="{tick_y}" x2="{WIDTH - RIGHT}" y2="{tick_y}" stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{tick_y}" text-anchor="end" dominant-baseline="middle" font-size="12" '
            f'fill="{AXIS}">{escape(tick_label)}</text>'
        )
    if reference is not None:
        ref_y = _fmt(y_of(reference.value))
        out.append(
            f'<line x1="{LEFT}" y1="{ref_y}" x2="{WIDTH - RIGHT}" y2="{ref_y}" stroke="{AXIS}" stroke-width="1.5" '
            f'stroke-dasharray="6 4"/>'
        )
        out.append(
            f'<text x="{WIDTH - RIGHT}" y="{_fmt(y_of(reference.value) + 12)}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}">{escape(reference.label)}</text>'
        )
    return out


def _line_marks(
    values: Sequence[float | None], shown: list[str], centres: list[float], y_of: Callable[[float], float]
) -> list[str]:
    """The line (broken where a value is missing) and a labelled mark on each value."""
    out: list[str] = []
    segments: list[list[tuple[float, float]]] = [[]]
    for value, x in zip(values, centres, strict=True):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((x, y_of(value)))
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in segment)
            out.append(f'<polyline points="{points}" fill="none" stroke="#0a58ca" stroke-width="2"/>')
    for value, label, x in zip(values, shown, centres, strict=True):
        if value is None:
            continue
        y = y_of(value)
        out.append(
            f'<rect x="{_fmt(x - 4)}" y="{_fmt(y - 4)}" width="8" height="8" fill="#0a58ca" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_fmt(x)}" y="{_fmt(y - 8)}" text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
    return out
