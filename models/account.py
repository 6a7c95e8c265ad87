"""Account: an organisation the company deals with, in a parent/child hierarchy."""

import uuid
from collections.abc import Iterable
from enum import StrEnum

import sqlalchemy as sa
from pydantic import EmailStr
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, StrEnumType, sort_indexes
from models.errors import Conflict


class RelationshipType(StrEnum):
    customer = "customer"
    vendor = "vendor"
    partner = "partner"
    affiliate = "affiliate"
    other = "other"


class AccountBase(SQLModel):
    name: str = Field(min_length=1, max_length=160)
    account_number: str | None = Field(default=None, max_length=20)
    relationship_type: RelationshipType = Field(
        default=RelationshipType.customer, sa_type=StrEnumType(RelationshipType, 20), index=True
    )
    parent_account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", index=True)
    # Contacts point at their account too: the key is added after both tables exist (use_alter).
    primary_contact_id: uuid.UUID | None = Field(
        default=None,
        sa_column_args=[
            sa.ForeignKey("contact.id", use_alter=True, name="fk_account_primary_contact_id")
        ],
    )
    email: EmailStr | None = Field(default=None, max_length=100, sa_type=sa.String(100))
    phone: str | None = Field(default=None, max_length=50)
    website: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    address_line1: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=80)
    state_or_province: str | None = Field(default=None, max_length=50)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=80)
    description: str | None = Field(default=None, max_length=2000)


class Account(AccountBase, RecordTable, table=True):
    __table_args__ = sort_indexes(
        "account", text=("name", "account_number", "city"), nullable=("account_number", "city")
    )


class AccountCreate(AccountBase, RequestFields):
    owner_id: uuid.UUID | None = None


class AccountUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=160)
    account_number: str | None = Field(default=None, max_length=20)
    relationship_type: RelationshipType | None = None
    parent_account_id: uuid.UUID | None = None
    primary_contact_id: uuid.UUID | None = None
    email: EmailStr | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=50)
    website: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    address_line1: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=80)
    state_or_province: str | None = Field(default=None, max_length=50)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=80)
    description: str | None = Field(default=None, max_length=2000)
    owner_id: uuid.UUID | None = None


class AccountRecord(AccountBase, RecordPublic):
    """An account as plain data, every column: qualifying a lead may create one."""


class AccountPublic(AccountRecord):
    pass


class AccountFilters(SQLModel):
    relationship_type: RelationshipType | None = None
    parent_account_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


def check_parent_allowed(account_id: uuid.UUID, parent_ancestry: Iterable[uuid.UUID]) -> None:
    """An account may not sit below itself: its new parent's ancestry must not contain it.

    `parent_ancestry` is the proposed parent followed by that parent's ancestors, nearest first.
    """
    if account_id in parent_ancestry:
        raise Conflict(
            "account_hierarchy_cycle",
            "parent_account_id would make the account its own ancestor",
            field="parent_account_id",
        )
