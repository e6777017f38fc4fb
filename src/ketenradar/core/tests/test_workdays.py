import datetime as dt
from typing import Any

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


def test_zero_working_days_is_the_start_itself_even_on_a_holiday() -> None:
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)  # a Monday
    assert add_working_days(D(2026, 12, 26), 0) == D(2026, 12, 26)  # a holiday, a Saturday
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0


def test_no_working_days_back_in_time() -> None:
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 20)) == 0


@pytest.mark.parametrize("days", [-1, -5, 1001, 10**9, 1.5, 0.5])
def test_a_negative_fractional_or_absurd_count_is_refused_not_counted(days: int) -> None:
    # counting down from any of these would never reach zero (or take years)
    with pytest.raises(ValueError, match="whole number from 0 to 1000"):
        add_working_days(D(2026, 11, 20), days)


def test_the_longest_count_allowed_is_a_thousand_working_days() -> None:
    end = add_working_days(D(2025, 12, 31), 1000)
    assert end == D(2029, 12, 11)  # 2026-2029: 1,012 working days, 12 after 11 Dec
    assert working_days_between(D(2025, 12, 31), end) == 1000


def test_the_holidays_do_not_depend_on_the_servers_language(monkeypatch: Any) -> None:
    # the holiday names are matched in English: a Dutch locale must not change them
    monkeypatch.setenv("LANGUAGE", "nl_NL")
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    public_holidays.cache_clear()
    try:
        assert D(2026, 4, 3) in public_holidays(2026)  # Goede Vrijdag
        assert len(public_holidays(2026)) == 9
    finally:
        public_holidays.cache_clear()
