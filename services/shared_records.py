"""What a deal action's effect may look up beyond its deal, answered from the database (the pure
core's `SharedRecords`), in the transition's own session."""

import uuid
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from models.account import Account, AccountRecord
from models.competitor import Competitor
from models.contact import Contact, ContactRecord
from models.deal.records import Reference
from models.deal.state import ProcessDefinition
from models.discount_list import DiscountList
from models.price_list import PriceList
from models.pricing import VolumeTiers
from models.product import Product
from models.product_property import ProductPropertyRecord
from models.tax_rate import TaxRate
from models.unit import Unit
from models.user import User
from services.discount_lists import volume_tiers
from services.processes import process_to_follow
from services.product_extras import active_properties
from services.tax_rates import rate_of


class DatabaseSharedRecords:
    def __init__(self, session: Session) -> None:
        self._session = session

    def active_account(self, account_id: uuid.UUID) -> AccountRecord | None:
        found = self._session.get(Account, account_id)
        return AccountRecord.model_validate(found) if found and found.is_active else None

    def account_named(self, name: str) -> AccountRecord | None:
        found = self._session.exec(
            select(Account).where(
                func.lower(col(Account.name)) == name.strip().lower(), col(Account.is_active)
            )
        ).first()
        return AccountRecord.model_validate(found) if found else None

    def active_contact(self, contact_id: uuid.UUID) -> ContactRecord | None:
        found = self._session.get(Contact, contact_id)
        return ContactRecord.model_validate(found) if found and found.is_active else None

    def contact_with_email(self, email: str) -> ContactRecord | None:
        found = self._session.exec(
            select(Contact).where(col(Contact.email) == email, col(Contact.is_active))
        ).first()
        return ContactRecord.model_validate(found) if found else None

    def competitor_exists(self, competitor_id: uuid.UUID) -> bool:
        found = self._session.get(Competitor, competitor_id)
        return found is not None and found.is_active

    def active_user_name(self, user_id: uuid.UUID) -> str | None:
        found = self._session.get(User, user_id)
        return found.name if found and found.is_active else None

    def exists(self, kind: Reference, record_id: uuid.UUID) -> bool:
        return self._session.get(_TABLES[kind], record_id) is not None

    def process_to_follow(self, process_id: uuid.UUID | None) -> ProcessDefinition | None:
        return process_to_follow(self._session, process_id)

    def product_properties(self, product_id: uuid.UUID) -> list[ProductPropertyRecord]:
        return active_properties(self._session, product_id)

    def tax_rate(self, tax_rate_id: uuid.UUID) -> Decimal | None:
        return rate_of(self._session, tax_rate_id)

    def volume_tiers(self, discount_list_id: uuid.UUID) -> VolumeTiers | None:
        return volume_tiers(self._session, discount_list_id)


_TABLES: dict[Reference, type[SQLModel]] = {
    "account": Account,
    "contact": Contact,
    "price list": PriceList,
    "product": Product,
    "unit": Unit,
    "tax rate": TaxRate,
    "discount list": DiscountList,
}
