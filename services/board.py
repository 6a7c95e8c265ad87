"""The board's SQL: the open deals a person may see, one card each, with when each was last
touched (its newest transition)."""

import uuid
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from models.account import Account
from models.board import BoardCard
from models.contact import Contact
from models.deal.state import Stage
from models.deal_event import DealEvent
from models.invoice import Invoice, InvoiceState
from models.lead import Lead, LeadState
from models.opportunity import Opportunity, OpportunityState
from models.order import OrderState, SalesOrder
from models.permissions import Owners
from models.user import User
from services.crud import owned_by
from services.figures import opportunity_stage, opportunity_value

# A board shows at most this many cards of a stage (the most valuable); the figures count all.
CARDS_PER_STAGE = 200
# Orders still to bill: not cancelled, not wholly invoiced.
ORDERS_TO_BILL = (OrderState.active, OrderState.submitted, OrderState.fulfilled)


def _last_touch(model: Any) -> ColumnElement[Any]:
    newest = (
        select(func.max(DealEvent.at))
        .where(col(DealEvent.deal_id) == col(model.deal_id))
        .scalar_subquery()
    )
    return func.coalesce(newest, col(model.modified_at))


def _whose(
    model: Any, owners: Owners, owner_id: uuid.UUID | None, team_id: uuid.UUID | None
) -> list[ColumnElement[bool]]:
    where = owned_by(model, owners)
    if owner_id is not None:
        where.append(col(model.owner_id) == owner_id)
    if team_id is not None:
        where.append(col(model.owner_id).in_(select(User.id).where(col(User.team_id) == team_id)))
    return where


def _customer(model: Any) -> ColumnElement[Any]:
    contact_name = select(Contact.last_name).where(col(Contact.id) == col(model.contact_id))
    account_name = select(Account.name).where(col(Account.id) == col(model.account_id))
    return func.coalesce(account_name.scalar_subquery(), contact_name.scalar_subquery())


def board_cards(
    session: Session,
    owners: Owners,
    owner_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
) -> list[BoardCard]:
    """Open leads (Qualify), open opportunities (Develop, Propose, Close by their quotes) and won
    deals still to bill or be paid (Fulfill)."""
    owner_name = select(User.name).where(col(User.id) == col(Lead.owner_id)).scalar_subquery()
    cards = [
        BoardCard(
            deal_id=row[0],
            stage=Stage.qualify,
            title=row[1],
            customer=row[2] or row[3],
            value=row[4] or 0,
            owner_id=row[5],
            owner_name=row[6],
            last_activity_at=row[7],
        )
        for row in session.execute(
            columns(
                col(Lead.deal_id),
                col(Lead.topic),
                col(Lead.company_name),
                col(Lead.last_name),
                col(Lead.estimated_budget),
                col(Lead.owner_id),
                owner_name,
                _last_touch(Lead),
            )
            .where(col(Lead.state) == LeadState.open, *_whose(Lead, owners, owner_id, team_id))
            .order_by(col(Lead.estimated_budget).desc())
            .limit(CARDS_PER_STAGE)
        ).all()
    ]
    stage = opportunity_stage()
    value = opportunity_value()
    owner_name = (
        select(User.name).where(col(User.id) == col(Opportunity.owner_id)).scalar_subquery()
    )
    cards += [
        BoardCard(
            deal_id=row[0],
            stage=Stage(row[1]),
            title=row[2],
            customer=row[3],
            value=row[4],
            probability=row[5],
            owner_id=row[6],
            owner_name=row[7],
            last_activity_at=row[8],
        )
        for row in session.execute(
            columns(
                col(Opportunity.deal_id),
                stage,
                col(Opportunity.name),
                _customer(Opportunity),
                value,
                col(Opportunity.probability),
                col(Opportunity.owner_id),
                owner_name,
                _last_touch(Opportunity),
            )
            .where(
                col(Opportunity.state) == OpportunityState.open,
                *_whose(Opportunity, owners, owner_id, team_id),
            )
            .order_by(value.desc())
            .limit(CARDS_PER_STAGE * 3)
        ).all()
    ]
    return cards + _to_bill(session, owners, owner_id, team_id)


def _to_bill(
    session: Session, owners: Owners, owner_id: uuid.UUID | None, team_id: uuid.UUID | None
) -> list[BoardCard]:
    unpaid = select(Invoice.deal_id).where(col(Invoice.state) == InvoiceState.active)
    owner_name = select(User.name).where(col(User.id) == col(SalesOrder.owner_id)).scalar_subquery()
    rows = session.execute(
        columns(
            col(SalesOrder.deal_id),
            func.coalesce(col(SalesOrder.name), col(SalesOrder.order_number)),
            _customer(SalesOrder),
            col(SalesOrder.total_amount),
            col(SalesOrder.owner_id),
            owner_name,
            _last_touch(SalesOrder),
        )
        .where(
            col(SalesOrder.state) != OrderState.canceled,
            (col(SalesOrder.state).in_(ORDERS_TO_BILL)) | col(SalesOrder.deal_id).in_(unpaid),
            *_whose(SalesOrder, owners, owner_id, team_id),
        )
        .order_by(col(SalesOrder.total_amount).desc())
        .limit(CARDS_PER_STAGE)
    ).all()
    cards: dict[str, BoardCard] = {}
    for deal_id, name, customer, total, owner, owner_name_, touched in rows:
        if deal_id in cards:  # a deal with several orders: one card, worth them all
            cards[deal_id].value += total
            continue
        cards[deal_id] = BoardCard(
            deal_id=deal_id,
            stage=Stage.fulfill,
            title=name,
            customer=customer,
            value=total,
            probability=100,
            owner_id=owner,
            owner_name=owner_name_,
            last_activity_at=touched,
        )
    return list(cards.values())
