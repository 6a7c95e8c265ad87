"""What a product says beyond its price: the properties its lines fill, and the products related
to it (cross-sell, up-sell, substitute, accessory), suggested on the documents that sell it."""

import uuid

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlmodel import Session, col, select

from models.errors import Conflict, InvalidField, NotFound
from models.line_item import LineItem
from models.product import Product
from models.product_property import (
    ProductProperty,
    ProductPropertyRecord,
    check_property_definition,
)
from models.product_relationship import (
    Direction,
    ProductRelationship,
    RelatedProduct,
    RelateProduct,
    Suggestion,
)
from services.crud import Repository, Unique

product_properties = Repository(
    ProductProperty,
    "product property",
    sortable=frozenset({"name", "data_type"}),
    search=("name",),
    unique=(Unique("property_name_unique_on_product", ("product_id", "name"), active_only=True),),
    checks=(check_property_definition,),
)


def active_properties(session: Session, product_id: uuid.UUID) -> list[ProductPropertyRecord]:
    """The product's active properties, in the order they were defined."""
    rows = session.exec(
        select(ProductProperty)
        .where(col(ProductProperty.product_id) == product_id, col(ProductProperty.is_active))
        .order_by(col(ProductProperty.created_at), col(ProductProperty.id))
    ).all()
    return [ProductPropertyRecord.model_validate(row, from_attributes=True) for row in rows]


# --- related products -------------------------------------------------------------------------


def _seen_from(product_id: uuid.UUID) -> ColumnElement[bool]:
    """The relationships a product's list shows: its own, and those made on another product
    that go both ways."""
    return or_(
        col(ProductRelationship.product_id) == product_id,
        and_(
            col(ProductRelationship.related_product_id) == product_id,
            col(ProductRelationship.direction) == Direction.bi_directional,
        ),
    )


def related(session: Session, product_id: uuid.UUID) -> list[RelatedProduct]:
    """The products related to this one, by relationship type, then name."""
    relationships = session.exec(select(ProductRelationship).where(_seen_from(product_id))).all()

    def other_of(relationship: ProductRelationship) -> uuid.UUID:
        mine = relationship.product_id == product_id
        return relationship.related_product_id if mine else relationship.product_id

    others = {other_of(r) for r in relationships}
    products = {
        product.id: product
        for product in session.exec(select(Product).where(col(Product.id).in_(others))).all()
    }
    found = [
        RelatedProduct(
            relationship_id=relationship.id,
            relationship_type=relationship.relationship_type,
            direction=relationship.direction,
            product_id=other.id,
            name=other.name,
            product_number=other.product_number,
            list_price=other.list_price,
            is_active=other.is_active,
            created_at=relationship.created_at,
        )
        for relationship in relationships
        if (other := products.get(other_of(relationship))) is not None
    ]
    return sorted(found, key=lambda r: (r.relationship_type, r.name.casefold(), r.product_id))


def relate(
    session: Session,
    product_id: uuid.UUID,
    body: RelateProduct,
    actor: uuid.UUID | None,
    relationship_id: uuid.UUID,
) -> RelatedProduct:
    """Link `body.related_product_id` to the product. Not to itself; not twice (the same two
    products and type, either way round when one of them goes both ways)."""
    other_id = body.related_product_id
    if other_id == product_id:
        raise InvalidField("related_product_id", "a product is not related to itself")
    if session.get(Product, other_id) is None:
        raise InvalidField("related_product_id", f"product {other_id} not found")
    if (made := session.get(ProductRelationship, relationship_id)) is None:
        same = session.exec(
            select(ProductRelationship).where(
                col(ProductRelationship.relationship_type) == body.relationship_type,
                or_(
                    and_(
                        col(ProductRelationship.product_id) == product_id,
                        col(ProductRelationship.related_product_id) == other_id,
                    ),
                    and_(
                        col(ProductRelationship.product_id) == other_id,
                        col(ProductRelationship.related_product_id) == product_id,
                        or_(
                            col(ProductRelationship.direction) == Direction.bi_directional,
                            true() if body.direction is Direction.bi_directional else false(),
                        ),
                    ),
                ),
            )
        ).first()
        if same is not None:
            raise Conflict(
                "product_relationship_unique",
                f"the products are already related as {body.relationship_type} ({same.id})",
                field="related_product_id",
            )
        made = ProductRelationship(
            id=relationship_id,
            product_id=product_id,
            related_product_id=other_id,
            relationship_type=body.relationship_type,
            direction=body.direction,
            owner_id=actor,
            created_by=actor,
            modified_by=actor,
        )
        session.add(made)
        session.commit()
    elif made.product_id != product_id:
        raise NotFound("product relationship", relationship_id)
    return next(r for r in related(session, product_id) if r.relationship_id == made.id)


def unrelate(session: Session, product_id: uuid.UUID, relationship_id: uuid.UUID) -> None:
    """Unlink: from either product, when the relationship shows on its list."""
    found = session.get(ProductRelationship, relationship_id)
    shown = found is not None and (
        found.product_id == product_id
        or (found.related_product_id == product_id and found.direction is Direction.bi_directional)
    )
    if found is None or not shown:
        raise NotFound("product relationship", relationship_id)
    session.delete(found)
    session.commit()


def suggestions(session: Session, document_id: uuid.UUID) -> list[Suggestion]:
    """The active products related to the products on the document's lines and not on them
    yet: each once, for the first line's product it is related to."""
    on_lines = [
        product_id
        for product_id in session.exec(
            select(col(LineItem.product_id))
            .where(col(LineItem.document_id) == document_id, col(LineItem.product_id).is_not(None))
            .order_by(col(LineItem.line_number))
        ).all()
        if product_id is not None
    ]
    offered: dict[uuid.UUID, Suggestion] = {}
    for product_id in dict.fromkeys(on_lines):
        for other in related(session, product_id):
            if other.is_active and other.product_id not in on_lines:
                offered.setdefault(
                    other.product_id,
                    Suggestion(
                        product_id=other.product_id,
                        name=other.name,
                        product_number=other.product_number,
                        list_price=other.list_price,
                        relationship_type=other.relationship_type,
                        because_of=product_id,
                    ),
                )
    return list(offered.values())
