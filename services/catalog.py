"""The product catalog: unit groups and units, products, price lists and their items."""

import uuid
from decimal import Decimal

from sqlmodel import Session, SQLModel, col, select

from models.discount_list import DiscountList
from models.errors import Conflict, InvalidField
from models.price_list import (
    PRICED_FROM,
    PriceList,
    PriceListItem,
    PriceListItemCreate,
    PricingMethod,
    item_amount,
)
from models.product import Product
from models.rules import check_validity
from models.unit import Unit, UnitGroup, check_base_unit_allowed, check_base_unit_fixed
from services.crud import NO_SCOPE, Reference, Repository, Scope, Unique, ancestry


def check_unit_in_group(
    session: Session, unit_id: uuid.UUID, unit_group_id: uuid.UUID, field: str
) -> None:
    """A unit named on a record must be one of the unit group that record is counted in."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.unit_group_id != unit_group_id:
        raise InvalidField(field, f"unit {unit_id} is not a unit of unit group {unit_group_id}")


def base_unit(session: Session, unit_group_id: uuid.UUID) -> Unit | None:
    return session.exec(
        select(Unit).where(col(Unit.unit_group_id) == unit_group_id, col(Unit.is_base_unit))
    ).first()


class UnitGroupRepository(Repository[UnitGroup]):
    def on_create(self, session: Session, record: UnitGroup) -> None:
        """A group is made with its base unit, which holds 1 of itself."""
        session.add(
            Unit(
                unit_group_id=record.id,
                name=record.base_unit_name,
                quantity=Decimal(1),
                is_base_unit=True,
                owner_id=record.owner_id,
                created_by=record.created_by,
                modified_by=record.modified_by,
            )
        )

    def before_save(self, session: Session, record: UnitGroup) -> None:
        """Renaming the group's base unit renames the unit itself."""
        base = base_unit(session, record.id)
        if base is not None and base.name != record.base_unit_name:
            base.name = record.base_unit_name
            base.modified_at, base.modified_by = record.modified_at, record.modified_by
            units.check_unique(session, base)


class UnitRepository(Repository[Unit]):
    def before_save(self, session: Session, record: Unit) -> None:
        check_base_unit_fixed(record.is_base_unit, record.quantity, record.base_unit_id)
        if record.is_base_unit:
            unit_groups.get(session, record.unit_group_id).base_unit_name = record.name
            return
        if record.base_unit_id is None:
            base = base_unit(session, record.unit_group_id)
            record.base_unit_id = base.id if base is not None else None
        if record.base_unit_id is not None:
            check_unit_in_group(session, record.base_unit_id, record.unit_group_id, "base_unit_id")
            check_base_unit_allowed(
                record.id, ancestry(session, Unit, "base_unit_id", record.base_unit_id)
            )


class ProductRepository(Repository[Product]):
    def before_save(self, session: Session, record: Product) -> None:
        check_unit_in_group(
            session, record.default_unit_id, record.unit_group_id, "default_unit_id"
        )
        _reprice_items(session, record)
        priced_in_other_group = session.exec(
            select(PriceListItem.id)
            .join(Unit, col(Unit.id) == col(PriceListItem.unit_id))
            .where(
                col(PriceListItem.product_id) == record.id,
                col(Unit.unit_group_id) != record.unit_group_id,
            )
        ).first()
        if priced_in_other_group is not None:
            raise Conflict(
                "product_unit_group_in_use",
                f"price list item {priced_in_other_group} prices this product in a unit of its "
                "current unit group",
                field="unit_group_id",
            )


def _reprice_items(session: Session, product: Product) -> None:
    """Active items priced as a percentage of one of the product's prices follow that price."""
    items = session.exec(
        select(PriceListItem).where(
            col(PriceListItem.product_id) == product.id,
            col(PriceListItem.pricing_method) != PricingMethod.currency_amount,
            col(PriceListItem.is_active),
        )
    ).all()
    for item in items:
        priced_from = PRICED_FROM[item.pricing_method]
        if getattr(product, priced_from) is None:
            raise Conflict(
                "product_price_in_use",
                f"price list item {item.id} is priced from this product's {priced_from}",
                field=priced_from,
            )
        item.amount = item_amount(
            item.pricing_method, None, item.percentage, product, item.rounding
        )
        session.add(item)


def _check_amount_sent(data: SQLModel, method: PricingMethod) -> None:
    if method is not PricingMethod.currency_amount and getattr(data, "amount", None) is not None:
        raise InvalidField("amount", f"is worked out with pricing_method {method}: send percentage")


class PriceListItemRepository(Repository[PriceListItem]):
    def create(
        self,
        session: Session,
        data: SQLModel,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
        record_id: uuid.UUID | None = None,
    ) -> PriceListItem:
        """The amount is worked out before the record is built: the table requires one."""
        if not isinstance(data, PriceListItemCreate):
            raise TypeError(f"a PriceListItemCreate, not {type(data).__name__}")
        _check_amount_sent(data, data.pricing_method)
        product = session.get(Product, data.product_id)
        if product is None:
            raise InvalidField("product_id", f"product {data.product_id} not found")
        amount = item_amount(
            data.pricing_method, data.amount, data.percentage, product, data.rounding
        )
        return super().create(
            session, data.model_copy(update={"amount": amount}), actor, scope, record_id
        )

    def update(
        self,
        session: Session,
        record_id: uuid.UUID,
        patch: SQLModel,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
    ) -> PriceListItem:
        method = (
            getattr(patch, "pricing_method", None)
            or self.get(session, record_id, scope).pricing_method
        )
        _check_amount_sent(patch, method)
        return super().update(session, record_id, patch, actor, scope)

    def before_save(self, session: Session, record: PriceListItem) -> None:
        product = products.get(session, record.product_id)
        check_unit_in_group(session, record.unit_id, product.unit_group_id, "unit_id")
        record.amount = item_amount(
            record.pricing_method, record.amount, record.percentage, product, record.rounding
        )


unit_groups = UnitGroupRepository(
    UnitGroup, "unit group", sortable=frozenset({"name"}), search=("name",)
)

units = UnitRepository(
    Unit,
    "unit",
    sortable=frozenset({"name", "quantity"}),
    search=("name",),
    references=(
        Reference("unit_group_id", UnitGroup, "unit group"),
        Reference("base_unit_id", Unit, "unit"),
    ),
    unique=(Unique("unit_name_unique_in_group", ("unit_group_id", "name")),),
)

products = ProductRepository(
    Product,
    "product",
    sortable=frozenset({"name", "product_number", "product_type", "list_price", "valid_from"}),
    search=("name", "product_number"),
    references=(
        Reference("unit_group_id", UnitGroup, "unit group"),
        Reference("default_unit_id", Unit, "unit"),
    ),
    unique=(Unique("product_number_unique", ("product_number",)),),
    checks=(check_validity,),
)

price_lists = Repository(
    PriceList,
    "price list",
    sortable=frozenset({"name", "currency", "valid_from", "valid_to"}),
    search=("name",),
    checks=(check_validity,),
)

price_list_items = PriceListItemRepository(
    PriceListItem,
    "price list item",
    sortable=frozenset({"amount"}),
    references=(
        Reference("price_list_id", PriceList, "price list"),
        Reference("product_id", Product, "product"),
        Reference("unit_id", Unit, "unit"),
        Reference("discount_list_id", DiscountList, "discount list"),
    ),
    unique=(
        Unique(
            "price_list_item_unique", ("price_list_id", "product_id", "unit_id"), active_only=True
        ),
    ),
)
