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


def share(numerator: int, denominator: int, *, suppress: bool = True, digits: int = 4) -> Share:
    if denominator == 0:
        return None
    if suppress and denominator < threshold():
        return marker()
    return round(numerator / denominator, digits)
