"""Related products (Dynamics' productsubstitute): a product sold as a cross-sell, an up-sell,
a substitute or an accessory of another, suggested when a line of that other is added.

A relationship goes one way (uni-directional: a desk suggests its lamp) or both (bi-directional:
either suggests the other). A product is never related to itself, and the same relationship is
never made twice (also not from the other side, when it goes both ways).
"""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field

from models.base import RecordTable, RequestModel, StrEnumType


class RelationshipType(StrEnum):
    """Dynamics' sales relationship types (salesrelationshiptype)."""

    up_sell = "up_sell"
    cross_sell = "cross_sell"
    accessory = "accessory"
    substitute = "substitute"


class Direction(StrEnum):
    uni_directional = "uni_directional"
    bi_directional = "bi_directional"


class ProductRelationship(RecordTable, table=True):
    __tablename__ = "product_relationship"
    __table_args__ = (
        sa.Index(
            "uq_product_relationship",
            "product_id",
            "related_product_id",
            "relationship_type",
            unique=True,
        ),
    )

    product_id: uuid.UUID = Field(foreign_key="product.id", index=True)
    related_product_id: uuid.UUID = Field(foreign_key="product.id", index=True)
    relationship_type: RelationshipType = Field(sa_type=StrEnumType(RelationshipType, 20))
    direction: Direction = Field(
        default=Direction.uni_directional, sa_type=StrEnumType(Direction, 20)
    )


class RelateProduct(RequestModel):
    """Link `related_product_id` to the product as a cross-sell, up-sell, substitute or
    accessory of it; `bi_directional` also suggests the product when the other is sold."""

    related_product_id: uuid.UUID
    relationship_type: RelationshipType
    direction: Direction = Direction.uni_directional


class RelatedProduct(BaseModel):
    """A product related to the one asked about, seen from it: a bi-directional relationship
    made on the other product lists here too."""

    relationship_id: uuid.UUID
    relationship_type: RelationshipType
    direction: Direction
    product_id: uuid.UUID
    name: str
    product_number: str
    list_price: Decimal | None
    is_active: bool
    created_at: datetime


class Suggestion(BaseModel):
    """A product to offer on a document: related to a product on its lines, not on them yet."""

    product_id: uuid.UUID
    name: str
    product_number: str
    list_price: Decimal | None
    relationship_type: RelationshipType
    # The product on the lines it is related to.
    because_of: uuid.UUID
