"""How the monitor rounds what it shows: one decimal, half up, in decimal arithmetic.

A share is kept as a float (``suppression.share``); shown as a percentage it is rounded
here, once, for the page, the charts, the CSV, the XLSX and the council report alike.
``number_format`` cuts decimals instead of rounding them (73.46% became "73,4%"), and a float
times 100 is not exact (0.58 * 100 = 57.99999999999999), so neither is used on a raw float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def exact(value: float | int | Decimal) -> Decimal:
    """The decimal a number was written as: ``repr`` of a float is the shortest decimal that
    reads back as the same float (0.7345, not 0.73449999999999997513...)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def one_decimal(value: float | int | Decimal) -> Decimal:
    """Rounded half up to one decimal: 73.45 -> 73.5, 73.44 -> 73.4, -0.05 -> -0.1."""
    return exact(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percentage(share: float | int | Decimal) -> Decimal:
    """A share (0.7346) as the percentage shown (73.5)."""
    return one_decimal(exact(share) * 100)


def share_as_shown(share: float | int | Decimal) -> float:
    """The share of the percentage shown, for a spreadsheet cell formatted as 0.0%: the
    XLSX then shows the same figure as the page and the CSV (0.735 for 73.5%)."""
    return float(percentage(share) / 100)
