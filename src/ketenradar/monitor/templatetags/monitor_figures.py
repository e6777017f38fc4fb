"""Figures as the monitor shows them: a suppressed value as its marker, a share as a
percentage, nothing as a dash."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from ketenradar.monitor.numbers import one_decimal, percentage

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, float):  # a rate or a mean: one decimal, rounded half up
        return str(number_format(one_decimal(value), decimal_pos=1, force_grouping=True))
    return str(number_format(value, force_grouping=True))


@register.filter
def percent(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{number_format(percentage(value), decimal_pos=1)}%"
