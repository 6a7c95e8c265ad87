"""Pure rules shared by several records: no database, no I/O, so they are tested on their own."""

import re
from datetime import date
from typing import Protocol

from models.errors import InvalidField

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def check_date_range(
    start: date | None,
    end: date | None,
    start_field: str = "valid_from",
    end_field: str = "valid_to",
) -> None:
    """A period may be open at either end, but may not end before it starts (same day is fine)."""
    if start is not None and end is not None and end < start:
        raise InvalidField(end_field, f"{end_field} {end} is before {start_field} {start}")


def check_currency_code(code: str) -> str:
    """An ISO 4217 currency code: three uppercase letters, as `EUR` or `USD`. Returns it unchanged.

    Raises ValueError, so a model field validator turns it into a 422 naming the field.
    """
    if not _CURRENCY_CODE.fullmatch(code):
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (three uppercase letters)")
    return code


class HasValidity(Protocol):
    valid_from: date | None
    valid_to: date | None


def check_validity(record: HasValidity) -> None:
    """A record's validity period (a product's, a price list's) does not end before it starts."""
    check_date_range(record.valid_from, record.valid_to)
