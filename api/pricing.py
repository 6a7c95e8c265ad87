"""Lines priced from the catalog as a request enters them, checked against the caller's price
privilege: what the routes that add lines (and the shortcuts that enter documents) share; and an
unlocked order's or invoice's lines priced again."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from fastapi import Request
from sqlmodel import Session

from models.deal.pricing_lock import RepricedLine
from models.line_item import LineInput, PricedLine
from models.permissions import Principal, check_price_privilege
from models.pricing import to_cents
from services import deal_reads
from services.line_pricing import price_line, price_lines


def org_today(request: Request) -> date:
    """The day a line is priced on, in the organisation's time zone."""
    return datetime.now(request.app.state.settings.org_zone).date()


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
    today = org_today(request)
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


def repriced_lines(
    request: Request, session: Session, document_id: uuid.UUID, price_list_id: uuid.UUID | None
) -> list[RepricedLine]:
    """The document's catalog lines priced again from `price_list_id` as of today, as a new line
    would be. Write-ins and prices overridden by hand keep theirs (as Dynamics recalculates), and
    no privilege is needed: nothing is overridden."""
    lines = [
        line
        for line in deal_reads.lines_of(session, document_id)
        if line.product_id is not None and not line.is_price_overridden
    ]
    inputs = [
        LineInput(product_id=line.product_id, unit_id=line.unit_id, quantity=line.quantity)
        for line in lines
    ]
    return [
        RepricedLine(
            line_id=line.id,
            price_per_unit=priced.price_per_unit,
            discount_list_id=priced.discount_list_id,
        )
        for line, priced in zip(
            lines, price_lines(session, inputs, price_list_id, org_today(request)), strict=True
        )
    ]
