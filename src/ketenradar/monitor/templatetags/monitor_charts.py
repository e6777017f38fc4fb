"""Charts of the monitor as inline SVG, drawn on the server: no chart library, no script, and
nothing the page's content security policy would have to allow. Suppressed figures (a marker
such as ``<10``) are drawn as an outlined stub with the marker, never as a number."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ketenradar.monitor.numbers import one_decimal

register = template.Library()

COLOURS = {"advice_requests": "#8fb8de", "reports": "#01689b"}  # NL Design System blues
STUB = 4  # height/width of a suppressed figure's stub


def _numbers(values: list[Any]) -> list[float]:
    return [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _n(x: float) -> str:
    """A coordinate, formatted before ``format_html`` escapes its arguments."""
    return f"{x:.1f}"


def _label(value: Any) -> str:
    if isinstance(value, float):
        return number_format(one_decimal(value), decimal_pos=1)
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, decimal_pos=0)
    return "–" if value is None else str(value)


@register.simple_tag
def trend_chart(trend: list[dict[str, Any]]) -> SafeString:
    """Grouped bars per month: advice requests and reports."""
    width, height, top, bottom, left = 720, 240, 16, 40, 8
    series = ("advice_requests", "reports")
    peak = max(_numbers([m[s] for m in trend for s in series]), default=0.0) or 1.0
    slot = (width - left) / max(len(trend), 1)
    bar = slot * 0.36
    plot = height - top - bottom
    parts = []
    for i, month in enumerate(trend):
        x0 = left + i * slot + slot * 0.12
        for j, name in enumerate(series):
            value = month[name]
            x = x0 + j * bar
            title = f"{date_format(month['month'], 'F Y')}: {_label(value)}"
            if isinstance(value, (int, float)):
                h = plot * float(value) / peak
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "<title>{}</title></rect>",
                        _n(x),
                        _n(top + plot - h),
                        _n(bar - 2),
                        _n(h),
                        COLOURS[name],
                        title,
                    )
                )
            else:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="none" '
                        'stroke="{}"><title>{}</title></rect>',
                        _n(x),
                        _n(top + plot - STUB),
                        _n(bar - 2),
                        STUB,
                        COLOURS[name],
                        title,
                    )
                )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
                _n(x0 + bar),
                height - bottom + 16,
                date_format(month["month"], "M"),
            )
        )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="11">{}</text>',
        (
            (left + k * 160, height - 12, COLOURS[name], left + k * 160 + 14, height - 3, text)
            for k, (name, text) in enumerate(
                (("advice_requests", _("advice requests")), ("reports", _("reports")))
            )
        ),
    )
    return format_html(
        '<svg class="kr-chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="trend-title" data-testid="trend-chart"><title id="trend-title">{}'
        "</title>{}{}</svg>",
        width,
        height,
        _("Advice requests and reports per month"),
        SafeString("".join(parts)),
        legend,
    )


@register.simple_tag
def municipality_chart(rows: list[dict[str, Any]]) -> SafeString:
    """Horizontal bars: reports per 10,000 inhabitants, municipalities side by side."""
    name_width, bar_width, row_height = 170, 440, 22
    height = row_height * len(rows) + 8
    peak = max(_numbers([r["per_10000"] for r in rows]), default=0.0) or 1.0
    parts = []
    for i, row in enumerate(rows):
        y = 4 + i * row_height
        value = row["per_10000"]
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                name_width - 6,
                y + 14,
                row["name"],
            )
        )
        w = bar_width * float(value) / peak if isinstance(value, float) else STUB
        fill = "#01689b" if isinstance(value, float) else "none"
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#01689b">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" font-size="11">{}</text>',
                name_width,
                y + 3,
                _n(w),
                row_height - 6,
                fill,
                row["name"],
                _label(value),
                _n(name_width + w + 4),
                y + 14,
                _label(value),
            )
        )
    return format_html(
        '<svg class="kr-chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="muni-title" data-testid="municipality-chart"><title id="muni-title">'
        "{}</title>{}</svg>",
        name_width + bar_width + 60,
        height,
        _("Reports per 10,000 inhabitants by municipality"),
        SafeString("".join(parts)),
    )
