"""The catalog's pure rules, without a database: periods, currency codes, units."""

import uuid
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from models.errors import Conflict, InvalidField
from models.rules import check_currency_code, check_date_range, check_validity
from models.unit import check_base_unit_allowed, check_base_unit_fixed

JAN_1, JAN_2 = date(2026, 1, 1), date(2026, 1, 2)


@pytest.mark.parametrize(
    ("start", "end"), [(JAN_1, JAN_2), (JAN_1, JAN_1), (None, JAN_1), (JAN_1, None), (None, None)]
)
def test_a_period_may_be_open_or_one_day_long(start: date | None, end: date | None) -> None:
    check_date_range(start, end)


def test_a_period_may_not_end_before_it_starts() -> None:
    with pytest.raises(InvalidField) as refused:
        check_date_range(JAN_2, JAN_1)
    assert refused.value.field == "valid_to"
    assert "2026-01-01" in refused.value.message


def test_the_refusal_names_the_end_field_it_is_given() -> None:
    with pytest.raises(InvalidField) as refused:
        check_date_range(JAN_2, JAN_1, "effective_from", "effective_to")
    assert refused.value.field == "effective_to"


def test_a_record_validity_is_checked_from_its_fields() -> None:
    check_validity(SimpleNamespace(valid_from=JAN_1, valid_to=JAN_2))
    with pytest.raises(InvalidField):
        check_validity(SimpleNamespace(valid_from=JAN_2, valid_to=JAN_1))


@pytest.mark.parametrize("code", ["EUR", "USD", "JPY", "CHF"])
def test_three_uppercase_letters_are_a_currency_code(code: str) -> None:
    assert check_currency_code(code) == code


@pytest.mark.parametrize("code", ["eur", "Eur", "EU", "EURO", "E1R", "", " EUR", "EUR\n", "ÉUR"])
def test_anything_else_is_not_a_currency_code(code: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        check_currency_code(code)


def test_a_base_unit_holds_exactly_one_of_itself() -> None:
    check_base_unit_fixed(True, Decimal("1.0000"), None)
    with pytest.raises(Conflict) as refused:
        check_base_unit_fixed(True, Decimal(2), None)
    assert (refused.value.rule, refused.value.field) == ("base_unit_quantity_fixed", "quantity")
    with pytest.raises(Conflict) as refused:
        check_base_unit_fixed(True, Decimal(1), uuid.uuid4())
    assert refused.value.field == "base_unit_id"


def test_other_units_hold_any_quantity_of_their_base() -> None:
    check_base_unit_fixed(False, Decimal("0.5"), uuid.uuid4())
    check_base_unit_fixed(False, Decimal(12), None)


def test_a_unit_may_not_be_a_multiple_of_itself() -> None:
    box, case, each = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    check_base_unit_allowed(box, [each])
    for chain in ([box], [case, box, each]):
        with pytest.raises(Conflict) as refused:
            check_base_unit_allowed(box, chain)
        assert refused.value.rule == "unit_base_cycle"
