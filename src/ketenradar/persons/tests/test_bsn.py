"""The 11-proef: valid BSNs pass; every single-digit change and every swap of two different
adjacent digits of a valid BSN fails."""

from hypothesis import given
from hypothesis import strategies as st

from ketenradar.persons.validators import BSN_WEIGHTS, is_valid_bsn


def _weighted(head: list[int]) -> int:
    return sum(w * d for w, d in zip(BSN_WEIGHTS[:8], head, strict=True))


def _check_digit(head: list[int]) -> int:
    return _weighted(head) % 11


# Eight digits whose check digit exists (not 10); the ninth digit is then the one that makes
# the weighted sum divisible by 11. A weighted sum below 11 would give S = 0, which the
# 11-proef rejects (000000000, 000000012, ...).
heads = st.lists(st.integers(0, 9), min_size=8, max_size=8).filter(
    lambda h: _check_digit(h) != 10 and _weighted(h) >= 11
)
valid_bsns = heads.map(lambda h: "".join(map(str, h)) + str(_check_digit(h)))


def test_known_examples() -> None:
    assert is_valid_bsn("111222333")  # 9+8+7+12+10+8+9+6-3 = 66
    assert is_valid_bsn("123456782")
    assert not is_valid_bsn("123456789")
    assert not is_valid_bsn("000000000")  # sum 0 is rejected
    assert not is_valid_bsn("12345678a")
    assert not is_valid_bsn("1234567")
    assert is_valid_bsn("11222333".zfill(9)) == is_valid_bsn("011222333")


@given(valid_bsns)
def test_valid_bsns_pass(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@given(valid_bsns)
def test_every_single_digit_change_fails(bsn: str) -> None:
    for position in range(9):
        for digit in "0123456789":
            if digit == bsn[position]:
                continue
            changed = bsn[:position] + digit + bsn[position + 1 :]
            assert not is_valid_bsn(changed), (bsn, changed)


@given(valid_bsns)
def test_every_adjacent_swap_of_different_digits_fails(bsn: str) -> None:
    for position in range(8):
        a, b = bsn[position], bsn[position + 1]
        if a == b:
            continue
        swapped = bsn[:position] + b + a + bsn[position + 2 :]
        assert not is_valid_bsn(swapped), (bsn, swapped)
