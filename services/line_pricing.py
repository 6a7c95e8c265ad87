"""Price lines from the catalog before they enter a deal, so a transition carries locked prices.

A product line takes the product's default unit unless one is given, and its price from the
document's price list (else the product's list price) unless a price is given.
"""

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.errors import InvalidField
from models.line_item import LineInput
from models.price_list import PriceListItem
from models.product import Product
from models.unit import Unit


def price_lines(
    session: Session,
    lines: Sequence[LineInput],
    price_list_id: uuid.UUID | None,
    field: str = "lines",
) -> list[LineInput]:
    return [
        price_line(session, line, price_list_id, f"{field}.{index}")
        for index, line in enumerate(lines)
    ]


def price_line(
    session: Session, line: LineInput, price_list_id: uuid.UUID | None, field: str = "line"
) -> LineInput:
    if line.product_id is None:
        return line
    product = session.get(Product, line.product_id)
    if product is None or not product.is_active:
        raise InvalidField(f"{field}.product_id", f"no active product {line.product_id}")
    unit_id = line.unit_id or product.default_unit_id
    unit = session.get(Unit, unit_id)
    if unit is None or unit.unit_group_id != product.unit_group_id:
        raise InvalidField(f"{field}.unit_id", f"unit {unit_id} is not in the product's unit group")
    if line.quantity != round(line.quantity, product.quantity_decimal):
        raise InvalidField(
            f"{field}.quantity", f"{product.name} allows {product.quantity_decimal} decimals"
        )
    price = line.price_per_unit
    if price is None and price_list_id is not None:
        price = session.exec(
            select(col(PriceListItem.amount)).where(
                col(PriceListItem.price_list_id) == price_list_id,
                col(PriceListItem.product_id) == product.id,
                col(PriceListItem.unit_id) == unit_id,
                col(PriceListItem.is_active),
            )
        ).first()
    if price is None:
        price = product.list_price
    if price is None:
        raise InvalidField(
            f"{field}.price_per_unit",
            f"no price for {product.name} in this unit on the price list; give price_per_unit",
        )
    return line.model_copy(update={"unit_id": unit_id, "price_per_unit": price})
