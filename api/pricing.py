"""Lines priced from the catalog as a request enters them, checked against the caller's price
privilege: what the routes that add lines (and the shortcuts that enter documents) share."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from fastapi import Request
from sqlmodel import Session

from models.line_item import LineInput, PricedLine
from models.permissions import Principal, check_price_privilege
from models.pricing import to_cents
from services.line_pricing import price_line


def priced_lines(
    request: Request,
    session: Session,
    principal: Principal,
    lines: Sequence[LineInput],
    price_list_id: uuid.UUID | None,
    field: str | None = "lines",
) -> list[PricedLine]:
    """`field`: where the lines are in the body; None for one line that is the body."""
    settings = request.app.state.settings
    today = datetime.now(settings.org_zone).date()
    priced = []
    for index, line in enumerate(lines):
        prefix = "" if field is None else f"{field}.{index}."
        found = price_line(session, line, price_list_id, today, prefix.rstrip(".") or "line")
        check_price_privilege(
            principal,
            settings.price_policy,
            overridden=found.is_price_overridden,
            base_amount=to_cents(found.quantity * (found.price_per_unit or 0)),
            manual_discount=found.manual_discount,
            field_prefix=prefix,
        )
        priced.append(found)
    return priced
