"""Shares and rates are rounded half up to one decimal, the same in every output: the
page's filters, the charts' labels, the CSV and the XLSX (whose cell holds the shown share
with a percentage format). ``number_format`` on a raw float cut instead of rounding."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import translation

import pytest
from openpyxl import load_workbook

from ketenradar.monitor import suppression
from ketenradar.monitor.exports import Percent, Sheet, to_csv, to_xlsx
from ketenradar.monitor.numbers import one_decimal, percentage
from ketenradar.monitor.templatetags.monitor_charts import _label
from ketenradar.monitor.templatetags.monitor_figures import figure, percent

# (numerator, denominator, the percentage shown)
SHARES = [
    (29, 50, "58,0%"),  # 0.58 * 100 is 57.99999999999999 as a float
    (7346, 10000, "73,5%"),  # 73.46: cut, it was 73,4%
    (14689, 20000, "73,4%"),  # 73.445: below the half
    (1469, 2000, "73,5%"),  # 73.45 exactly: half up
    (1, 3, "33,3%"),
    (2, 3, "66,7%"),
    (1, 8, "12,5%"),  # 12.5 exactly
    (1, 16, "6,3%"),  # 6.25: half up, not to even
    (3, 16, "18,8%"),  # 18.75
    (0, 25, "0,0%"),
    (25, 25, "100,0%"),
]


@pytest.fixture(autouse=True)
def dutch() -> None:
    translation.activate("nl")


@pytest.mark.parametrize(("numerator", "denominator", "shown"), SHARES)
def test_a_share_is_rounded_half_up_on_the_page(
    numerator: int, denominator: int, shown: str
) -> None:
    share = suppression.share(numerator, denominator, suppress=False)
    assert percent(share) == shown


@pytest.mark.parametrize(("numerator", "denominator", "shown"), SHARES)
def test_csv_and_xlsx_show_the_pages_figure(numerator: int, denominator: int, shown: str) -> None:
    share = suppression.share(numerator, denominator, suppress=False)
    sheet = Sheet("Aandelen", rows=[["aandeel", Percent(share)]])
    csv_text = to_csv([sheet]).decode("utf-8-sig")
    assert f"aandeel;{shown}" in csv_text
    book = load_workbook(io.BytesIO(to_xlsx([sheet])))
    cell = book.active["B2"]
    assert cell.number_format == "0.0%"
    in_excel = Decimal(repr(cell.value)) * 100
    assert f"{in_excel.quantize(Decimal('0.1'))}".replace(".", ",") + "%" == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1.1333, "1,1"), (1.15, "1,2"), (1.25, "1,3"), (2.05, "2,1"), (12.35, "12,4"), (0.04, "0,0")],
)
def test_rates_and_means_are_rounded_half_up(value: float, shown: str) -> None:
    assert figure(value) == shown
    assert _label(value) == shown


def test_the_rounding_helpers() -> None:
    assert one_decimal(73.45) == Decimal("73.5")
    assert one_decimal(-0.05) == Decimal("-0.1")
    assert percentage(0.58) == Decimal("58.0")
    assert percentage(Decimal("0.7345")) == Decimal("73.5")
