"""The CPR number (personnummer): what a valid one is, and the one spelling it is stored
and indexed under.

The CPR index (BorgerIndeks) is a keyed hash of the number, so two spellings of one number
would give one person two borger ids. Every number is therefore normalised to ten ASCII
digits without the hyphen ("DDMMYYSSSS", the form the API has always hashed) before it is
hashed or stored.
"""

from __future__ import annotations

import re
from datetime import date

from shared.kernel import DomainRuleViolation

#: ASCII digits only. `\d` (and str.isdigit) also accept e.g. Arabic-Indic digits, which
#: would hash differently from the same number in ASCII.
CPR_MOENSTER = r"^[0-9]{6}-?[0-9]{4}$"
_CPR = re.compile(CPR_MOENSTER)


def aarhundrede(syvende_ciffer: int, aar: int) -> int:
    """The century of the birth year, from the 7th digit and the two-digit year, as the
    CPR office defines it: 0-3 the 1900s; 4 and 9 the 2000s up to 36, else the 1900s;
    5-8 the 2000s up to 57, else the 1800s."""
    if syvende_ciffer <= 3:
        return 1900
    if syvende_ciffer in (4, 9):
        return 2000 if aar <= 36 else 1900
    return 2000 if aar <= 57 else 1800


def foedselsdato(cpr: str) -> date | None:
    """The birth date in a CPR number, or None if it is not a well-formed number with a
    real date (e.g. a placeholder such as 999999-9999)."""
    if _CPR.fullmatch(cpr) is None:
        return None
    cifre = cpr.replace("-", "")
    dd, mm, yy = int(cifre[0:2]), int(cifre[2:4]), int(cifre[4:6])
    try:
        return date(aarhundrede(int(cifre[6]), yy) + yy, mm, dd)
    except ValueError:
        return None


def normaliseret_cpr(cpr: str) -> str:
    """The number as ten ASCII digits, or DomainRuleViolation (422) if it is not a CPR
    number: not six and four ASCII digits, or no real birth date."""
    if foedselsdato(cpr) is None:
        raise DomainRuleViolation(
            "ugyldigt-cpr",
            "CPR-nummeret skal være 10 cifre (0-9), evt. med bindestreg efter de 6 første, "
            "og begynde med en gyldig fødselsdato.",
            "The CPR number must be 10 digits (0-9), optionally with a hyphen after the "
            "first 6, and start with a valid date of birth.",
        )
    return cpr.replace("-", "")
