"""Small counts are not shown (docs/monitor.md#small-counts).

A count from 1 to ``KETENRADAR_SMALL_COUNT_THRESHOLD`` - 1 becomes the marker ``"<10"``; 0
stays 0. A share (or rate, or growth) whose denominator is below the threshold, or whose
count is suppressed where it would reveal it, becomes the marker too; with a denominator of
0 it is ``None`` (nothing to divide).
"""

from __future__ import annotations

from django.conf import settings

Count = int | str
Share = float | str | None


def threshold() -> int:
    return int(settings.KETENRADAR_SMALL_COUNT_THRESHOLD)


def marker() -> str:
    return f"<{threshold()}"


def small(n: int) -> bool:
    return 0 < n < threshold()


def count(n: int, *, suppress: bool = True) -> Count:
    return marker() if suppress and small(n) else n


def share(
    numerator: int, denominator: int, *, suppress: bool = True, digits: int | None = None
) -> Share:
    """``numerator / denominator``, unrounded unless ``digits`` says so: what is shown is
    rounded once, half up, to one decimal of a percentage (``monitor.numbers``); rounding
    here first would round twice (0.73445 -> 0.7345 -> 73.5% instead of 73.4%)."""
    if denominator == 0:
        return None
    if suppress and denominator < threshold():
        return marker()
    value = numerator / denominator
    return value if digits is None else round(value, digits)
