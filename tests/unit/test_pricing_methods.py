"""A price list item's price from its pricing method, to the cent, without a database."""

import uuid
from decimal import Decimal

import pytest

from models.errors import InvalidField
from models.price_list import PricingMethod, item_amount
from models.product import Product


def desk(
    list_price: str | None = None, current_cost: str | None = None, standard_cost: str | None = None
) -> Product:
    return Product(
        name="Desk",
        product_number="DESK-1",
        unit_group_id=uuid.uuid4(),
        default_unit_id=uuid.uuid4(),
        list_price=None if list_price is None else Decimal(list_price),
        current_cost=None if current_cost is None else Decimal(current_cost),
        standard_cost=None if standard_cost is None else Decimal(standard_cost),
    )


DESK = desk(list_price="200.00", current_cost="80.00", standard_cost="33.33")


@pytest.mark.parametrize(
    ("method", "percentage", "price"),
    [
        (PricingMethod.percent_of_list, "85", "170.00"),
        (PricingMethod.percent_of_list, "33.3333", "66.67"),
        (PricingMethod.markup_current_cost, "25", "100.00"),
        (PricingMethod.margin_current_cost, "20", "100.00"),  # 20 of the 100 is margin
        (PricingMethod.markup_standard_cost, "10", "36.66"),  # 36.663
        (PricingMethod.margin_standard_cost, "33.3333", "49.99"),  # 49.99497
        (PricingMethod.margin_current_cost, "0", "80.00"),
    ],
)
def test_percentage_methods_price_from_the_product_to_the_cent(
    method: PricingMethod, percentage: str, price: str
) -> None:
    assert item_amount(method, None, Decimal(percentage), DESK) == Decimal(price)


def test_a_fixed_amount_is_the_price() -> None:
    amount = Decimal("12.3400")
    assert item_amount(PricingMethod.currency_amount, amount, None, DESK) == amount


@pytest.mark.parametrize(
    ("method", "amount", "percentage", "product", "field"),
    [
        (PricingMethod.currency_amount, None, None, DESK, "amount"),
        (PricingMethod.currency_amount, "5", "10", DESK, "percentage"),
        (PricingMethod.percent_of_list, None, None, DESK, "percentage"),
        (PricingMethod.margin_current_cost, None, "100", DESK, "percentage"),
        (PricingMethod.markup_current_cost, None, "10", desk(), "pricing_method"),
    ],
)
def test_what_a_method_cannot_price_names_the_field(
    method: PricingMethod,
    amount: str | None,
    percentage: str | None,
    product: Product,
    field: str,
) -> None:
    with pytest.raises(InvalidField) as refused:
        item_amount(
            method,
            None if amount is None else Decimal(amount),
            None if percentage is None else Decimal(percentage),
            product,
        )
    assert refused.value.field == field
