"""Which deals a caller may see: a deal is seen by whoever may see one of its records."""

from sqlmodel import Session, col, select

from models.invoice import Invoice
from models.lead import Lead
from models.opportunity import Opportunity
from models.order import SalesOrder
from models.permissions import Owners
from models.quote import Quote
from services.crud import owned_by

DEAL_RECORDS = (Lead, Opportunity, Quote, SalesOrder, Invoice)


def deal_visible(session: Session, deal_id: str, owners: Owners) -> bool:
    """True for everyone's deals, and for a deal with a record owned by one of `owners`. A deal
    that does not exist is not visible: callers answer it as not found either way."""
    if owners.everyone:
        return True
    return any(
        session.exec(
            select(model.id).where(col(model.deal_id) == deal_id, *owned_by(model, owners)).limit(1)
        ).first()
        is not None
        for model in DEAL_RECORDS
    )
