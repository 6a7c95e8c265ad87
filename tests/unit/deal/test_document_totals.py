"""Document totals in the deal's effects (models/deal/documents.py): an order's discount and
freight shared out to its invoices, which add up to the order's total."""

from decimal import Decimal

from models.deal.documents import totalled
from models.deal.order import InvoiceOrder
from tests.unit.deal.builders import order_deal, run, step


def test_an_orders_invoices_share_its_discount_and_freight_and_add_up_to_its_total() -> None:
    deal = order_deal((3, "100.00"))
    [order] = deal.orders
    charged = totalled(
        step(),
        order.model_copy(
            update={"discount_amount": Decimal("10.00"), "freight_amount": Decimal(1)}
        ),
        deal.lines,
    )
    assert charged.total_amount == Decimal("291.00")
    deal = type(deal).of(deal.deal_id, [charged, *deal.lines])
    [line] = deal.lines
    thirds = [InvoiceOrder(order_id=order.id, lines=[{"order_line_id": line.id, "quantity": 1}])]
    deal = run(deal, *(thirds * 3))
    invoices = deal.invoices
    assert [i.total_discount_amount for i in invoices] == [
        Decimal("3.33"),
        Decimal("3.33"),
        Decimal("3.34"),
    ]
    assert sum((i.total_amount for i in invoices), Decimal(0)) == Decimal("291.00")
