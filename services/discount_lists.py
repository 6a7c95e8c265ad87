"""Discount lists and their tiers, and the tiers a line's volume discount is read from."""

import uuid

from sqlmodel import Session, col, select

from models.discount_list import Discount, DiscountList
from models.errors import Conflict
from models.pricing import VolumeTiers, check_tier, check_tiers_apart
from services.crud import Reference, Repository


def tiers_of(session: Session, discount_list_id: uuid.UUID) -> list[Discount]:
    return list(
        session.exec(
            select(Discount)
            .where(col(Discount.discount_list_id) == discount_list_id, col(Discount.is_active))
            .order_by(col(Discount.low_quantity))
        ).all()
    )


def volume_tiers(session: Session, discount_list_id: uuid.UUID) -> VolumeTiers | None:
    """The list as the engine reads it; none if it is gone or retired."""
    found = session.get(DiscountList, discount_list_id)
    if found is None or not found.is_active:
        return None
    tiers = [t.tier() for t in tiers_of(session, discount_list_id)]
    return VolumeTiers(is_amount_type=found.is_amount_type, tiers=tiers)


class DiscountListRepository(Repository[DiscountList]):
    def before_save(self, session: Session, record: DiscountList) -> None:
        """Its tiers give percentages or amounts: which one is fixed once it has any."""
        tiers = tiers_of(session, record.id)
        if tiers and _kind_changed(record, tiers[0]):
            raise Conflict(
                "discount_list_kind_fixed",
                "the list has tiers: whether it gives amounts cannot change",
                field="is_amount_type",
            )


def _kind_changed(record: DiscountList, tier: Discount) -> bool:
    return (tier.amount is not None) != record.is_amount_type


class DiscountRepository(Repository[Discount]):
    def before_save(self, session: Session, record: Discount) -> None:
        """A tier gives its list's kind of discount, and no quantity falls in two tiers."""
        parent = discount_lists.get(session, record.discount_list_id)
        check_tier(parent.is_amount_type, record.tier())
        if not record.is_active:
            return
        others = [t.tier() for t in tiers_of(session, parent.id) if t.id != record.id]
        check_tiers_apart(record.tier(), others)


discount_lists = DiscountListRepository(
    DiscountList, "discount list", sortable=frozenset({"name"}), search=("name",)
)

discounts = DiscountRepository(
    Discount,
    "discount",
    sortable=frozenset({"low_quantity"}),
    references=(Reference("discount_list_id", DiscountList, "discount list"),),
)
