"""Contact: a person, optionally working for one parent account."""

import uuid

import sqlalchemy as sa
from pydantic import EmailStr, computed_field
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, sort_indexes


class ContactBase(SQLModel):
    first_name: str | None = Field(default=None, max_length=50)
    last_name: str = Field(min_length=1, max_length=50)
    email: EmailStr | None = Field(default=None, max_length=100, sa_type=sa.String(100), index=True)
    job_title: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=50)
    mobile_phone: str | None = Field(default=None, max_length=50)
    parent_account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", index=True)
    address_line1: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=80)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=80)
    description: str | None = Field(default=None, max_length=2000)


class Contact(ContactBase, RecordTable, table=True):
    # The rule "email unique among active contacts", also enforced by the database against races.
    __table_args__ = (
        sa.Index(
            "uq_contact_active_email",
            "email",
            unique=True,
            sqlite_where=sa.text("is_active AND email IS NOT NULL"),
            postgresql_where=sa.text("is_active AND email IS NOT NULL"),
        ),
        *sort_indexes(
            "contact", text=("last_name", "first_name", "email"), nullable=("first_name", "email")
        ),
    )


class ContactCreate(ContactBase, RequestFields):
    owner_id: uuid.UUID | None = None


class ContactUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    first_name: str | None = Field(default=None, max_length=50)
    last_name: str | None = Field(default=None, min_length=1, max_length=50)
    email: EmailStr | None = Field(default=None, max_length=100)
    job_title: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=50)
    mobile_phone: str | None = Field(default=None, max_length=50)
    parent_account_id: uuid.UUID | None = None
    address_line1: str | None = Field(default=None, max_length=250)
    city: str | None = Field(default=None, max_length=80)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=80)
    description: str | None = Field(default=None, max_length=2000)
    owner_id: uuid.UUID | None = None


class ContactRecord(ContactBase, RecordPublic):
    """A contact as plain data, every column: qualifying a lead may create one."""


class ContactPublic(ContactRecord):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.first_name else self.last_name


class ContactFilters(SQLModel):
    parent_account_id: uuid.UUID | None = None
    email: str | None = None
    owner_id: uuid.UUID | None = None


def normalize_email(email: str | None) -> str | None:
    """Emails match case-insensitively (qualify finds contacts by email): store them lowercased."""
    return email.strip().lower() if email else email
