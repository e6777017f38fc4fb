import datetime as dt

import pytest

from ketenradar.core.workdays import (
    add_working_days,
    is_working_day,
    public_holidays,
    working_days_between,
)

D = dt.date


def test_holidays_of_the_algemene_termijnenwet_2026() -> None:
    assert public_holidays(2026) == {
        D(2026, 1, 1),  # Nieuwjaarsdag
        D(2026, 4, 3),  # Goede Vrijdag
        D(2026, 4, 6),  # tweede Paasdag
        D(2026, 4, 27),  # Koningsdag
        D(2026, 5, 5),  # 5 mei: every year, not only in lustrum years
        D(2026, 5, 14),  # Hemelvaartsdag
        D(2026, 5, 25),  # tweede Pinksterdag
        D(2026, 12, 25),
        D(2026, 12, 26),
    }


def test_kings_day_moves_to_saturday_when_27_april_is_a_sunday() -> None:
    assert D(2025, 4, 26) in public_holidays(2025)  # 27 April 2025 was a Sunday


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (
            D(2026, 4, 2),
            5,
            D(2026, 4, 13),
        ),  # Thursday before Easter: Good Friday and Easter Monday skipped
        (D(2025, 12, 31), 5, D(2026, 1, 8)),  # 31 December: New Year's Day skipped
        (D(2026, 11, 20), 5, D(2026, 11, 27)),  # an ordinary Friday: one weekend
        (D(2026, 5, 4), 1, D(2026, 5, 6)),  # 5 May is not a working day
    ],
)
def test_add_working_days(start: dt.date, days: int, expected: dt.date) -> None:
    assert add_working_days(start, days) == expected
    assert working_days_between(start, expected) == days


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(D(2026, 11, 21))
    assert is_working_day(D(2026, 11, 23))
