"""The totals every document (opportunity, quote, order, invoice) carries, named as Dynamics'.

A person sets the document's discount and freight; the rest is worked out from its lines by
`models.pricing.document_totals` whenever the lines or those change.
"""

from decimal import Decimal

from sqlmodel import SQLModel

from models.base import money_field

DISCOUNT_PERCENTAGE = "The document's discount as a percentage of its detail amount: 10 is 10 %."
DISCOUNT_AMOUNT = "The document's discount as an amount, on top of its percentage."
FREIGHT_AMOUNT = "Freight, added after the discount (not taxed)."


class DocumentCharges(SQLModel):
    """What a person sets on a document: its discount and freight (Dynamics: discountpercentage,
    discountamount, freightamount)."""

    discount_percentage: Decimal | None = money_field(
        default=None, ge=0, le=100, description=DISCOUNT_PERCENTAGE
    )
    discount_amount: Decimal | None = money_field(default=None, ge=0, description=DISCOUNT_AMOUNT)
    freight_amount: Decimal | None = money_field(default=None, ge=0, description=FREIGHT_AMOUNT)


class DocumentTotals(SQLModel):
    """What is worked out (Dynamics: totallineitemamount, totaldiscountamount,
    totalamountlessfreight, totaltax; totalamount is each document's own column)."""

    total_line_item_amount: Decimal = money_field(default=Decimal(0))
    total_discount_amount: Decimal = money_field(default=Decimal(0))
    total_amount_less_freight: Decimal = money_field(default=Decimal(0))
    total_tax: Decimal = money_field(default=Decimal(0))
