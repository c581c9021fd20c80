"""The CPR number: ASCII digits only, a real date of birth under the 7th digit's century
rule, and one spelling (ten digits, no hyphen) before the keyed index hash."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visitation.domain.cpr import aarhundrede, foedselsdato, normaliseret_cpr
from shared.kernel import DomainRuleViolation

ARABISK = "٠١٠١٤٠-١٢٣٤"  # 010140-1234 in Arabic-Indic digits: \d and isdigit accept them


@pytest.mark.parametrize(
    "cpr",
    [
        "999999-9999",
        "000000-0000",
        "310299-1234",
        ARABISK,
        "０１０１４０１２３４",
        "010140--1234",
        "01014-01234",
        "010140-123",
        " 0101401234",
        "0101401234\n",
        "290223-4000",
        "290200-0000",
    ],  # 29 February 2023 and 1900 (7th digit 0) did not exist
)
def test_not_a_cpr_number_is_refused(cpr: str) -> None:
    assert foedselsdato(cpr) is None
    with pytest.raises(DomainRuleViolation) as refused:
        normaliseret_cpr(cpr)
    assert refused.value.rule == "ugyldigt-cpr"


@pytest.mark.parametrize(
    ("cpr", "foedt"),
    [
        ("010140-1234", date(1940, 1, 1)),
        ("290200-4000", date(2000, 2, 29)),  # 7th digit 4, year 00: the 2000s
        ("010137-4000", date(1937, 1, 1)),  # 4 with 37-99: the 1900s
        ("010136-9000", date(2036, 1, 1)),
        ("010137-9000", date(1937, 1, 1)),
        ("010157-5000", date(2057, 1, 1)),  # 5-8 up to 57: the 2000s
        ("010158-8000", date(1858, 1, 1)),  # 5-8 from 58: the 1800s
        ("311299-3999", date(1999, 12, 31)),
    ],
)
def test_birth_date_follows_the_seventh_digit(cpr: str, foedt: date) -> None:
    assert foedselsdato(cpr) == foedt


def test_both_spellings_normalise_to_the_ten_digits_the_index_always_hashed() -> None:
    assert normaliseret_cpr("010140-1234") == normaliseret_cpr("0101401234") == "0101401234"


@given(st.integers(0, 9), st.integers(0, 99))
def test_every_seventh_digit_has_a_century(syvende: int, aar: int) -> None:
    assert aarhundrede(syvende, aar) in (1800, 1900, 2000)
