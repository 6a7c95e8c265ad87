"""Imports every table module, so SQLModel's metadata (and so Alembic) sees the whole schema."""

from models.account import Account
from models.activity import Activity
from models.competitor import Competitor
from models.connection import OpportunityCompetitor, Stakeholder
from models.contact import Contact
from models.deal_event import DealEvent
from models.deal_process import DealProcess
from models.discount_list import Discount, DiscountList
from models.goal import Goal, GoalMetric
from models.idempotency import IdempotencyKey
from models.invoice import Invoice, Payment
from models.lead import Lead
from models.line_item import LineItem
from models.opportunity import Opportunity
from models.order import SalesOrder
from models.price_list import PriceList, PriceListItem
from models.process import BusinessProcess
from models.product import Product
from models.product_property import ProductProperty
from models.product_relationship import ProductRelationship
from models.quote import Quote
from models.sales_literature import (
    SalesLiterature,
    SalesLiteratureAttachment,
    SalesLiteratureLink,
)
from models.sign_in import SignInFailures
from models.tax_rate import TaxRate
from models.unit import Unit, UnitGroup
from models.user import ApiKey, Team, User

__all__ = [
    "Account",
    "Activity",
    "ApiKey",
    "BusinessProcess",
    "Competitor",
    "Contact",
    "DealEvent",
    "DealProcess",
    "Discount",
    "DiscountList",
    "Goal",
    "GoalMetric",
    "IdempotencyKey",
    "Invoice",
    "Lead",
    "LineItem",
    "Opportunity",
    "OpportunityCompetitor",
    "Payment",
    "PriceList",
    "PriceListItem",
    "Product",
    "ProductProperty",
    "ProductRelationship",
    "Quote",
    "SalesLiterature",
    "SalesLiteratureAttachment",
    "SalesLiteratureLink",
    "SalesOrder",
    "SignInFailures",
    "Stakeholder",
    "TaxRate",
    "Team",
    "Unit",
    "UnitGroup",
    "User",
]
