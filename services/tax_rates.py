"""Tax rates, and the percentage a line's tax is worked out from."""

import uuid
from decimal import Decimal

from sqlmodel import Session

from models.tax_rate import TaxRate
from services.crud import Repository


def rate_of(session: Session, tax_rate_id: uuid.UUID) -> Decimal | None:
    """The percentage of an active tax rate; none if it is gone or retired."""
    found = session.get(TaxRate, tax_rate_id)
    return found.percentage if found is not None and found.is_active else None


tax_rates = Repository(
    TaxRate, "tax rate", sortable=frozenset({"name", "percentage"}), search=("name",)
)
