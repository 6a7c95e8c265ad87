"""Price lines from the catalog before they enter a deal, so a transition carries locked prices.

A product line takes the product's default unit unless one is given (a unit of the product's
unit group). With a price list, its price is the list's item for that product and unit: a unit
the list does not price is refused, naming it, rather than priced as some other unit. Without a
price list, it is the product's list price (per base unit) times the base units the unit holds:
the list price is the price of one base unit, so a box of 12 costs 12 of them. A price sent for
a product line that differs from that overrides it (`is_price_overridden`).
"""

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from models.errors import InvalidField
from models.line_item import LineInput, PricedLine
from models.price_list import PriceList, PriceListItem
from models.product import Product
from models.unit import Unit


def price_lines(
    session: Session,
    lines: Sequence[LineInput],
    price_list_id: uuid.UUID | None,
    today: date,
    field: str = "lines",
) -> list[PricedLine]:
    return [
        price_line(session, line, price_list_id, today, f"{field}.{index}")
        for index, line in enumerate(lines)
    ]


def base_units(session: Session, unit: Unit) -> Decimal:
    """How many of its group's base unit `unit` holds (a case of 10 boxes of 12: 120)."""
    quantity, seen = unit.quantity, {unit.id}
    while unit.base_unit_id is not None and not unit.is_base_unit:
        parent = session.get(Unit, unit.base_unit_id)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        quantity *= parent.quantity
        unit = parent
    return quantity


def usable_price_list(session: Session, price_list_id: uuid.UUID, today: date) -> PriceList:
    """A new line is priced only from a price list valid today."""
    price_list = session.get(PriceList, price_list_id)
    if price_list is None or not price_list.is_active:
        raise InvalidField("price_list_id", f"no active price list {price_list_id}")
    if (price_list.valid_from and price_list.valid_from > today) or (
        price_list.valid_to and price_list.valid_to < today
    ):
        raise InvalidField(
            "price_list_id",
            f"price list {price_list.name} is valid from {price_list.valid_from or '-'} to "
            f"{price_list.valid_to or '-'}, not on {today}",
        )
    return price_list


def price_line(
    session: Session,
    line: LineInput,
    price_list_id: uuid.UUID | None,
    today: date,
    field: str = "line",
) -> PricedLine:
    if line.product_id is None:
        return PricedLine.model_validate(line.model_dump())
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
    item: PriceListItem | None = None
    listed: Decimal | None = None
    if price_list_id is not None:
        usable_price_list(session, price_list_id, today)
        item = session.exec(
            select(PriceListItem).where(
                col(PriceListItem.price_list_id) == price_list_id,
                col(PriceListItem.product_id) == product.id,
                col(PriceListItem.unit_id) == unit.id,
                col(PriceListItem.is_active),
            )
        ).first()
        listed = item.amount if item else None
        if item is None and line.price_per_unit is None:
            raise InvalidField(
                f"{field}.unit_id",
                f"the price list has no price for {product.name} in unit {unit.name}",
            )
    elif product.list_price is not None:
        listed = product.list_price * base_units(session, unit)
    price = line.price_per_unit if line.price_per_unit is not None else listed
    if price is None:
        raise InvalidField(
            f"{field}.price_per_unit",
            f"no price for {product.name} in unit {unit.name}; give price_per_unit",
        )
    return PricedLine.model_validate(
        {
            **line.model_dump(),
            "unit_id": unit.id,
            "price_per_unit": price,
            "is_price_overridden": listed is None or price != listed,
            "discount_list_id": item.discount_list_id if item else None,
        }
    )
