"""Sales literature: brochures, product guides, price sheets and the like that salespeople hand
to customers (Dynamics' salesliterature), linked to the products and competitors they are
about, each with its attachments (Dynamics' salesliteratureitem)."""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, StrEnumType, UTCDateTime, utcnow


class LiteratureType(StrEnum):
    brochure = "brochure"
    product_guide = "product_guide"
    price_sheet = "price_sheet"
    competitor_info = "competitor_info"
    policies = "policies"
    spreadsheets = "spreadsheets"


class LinkedRecord(StrEnum):
    """What a piece of literature may be about."""

    product = "product"
    competitor = "competitor"


class SalesLiteratureBase(SQLModel):
    title: str = Field(min_length=1, max_length=200, index=True)
    literature_type: LiteratureType = Field(sa_type=StrEnumType(LiteratureType, 20))
    subject: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    # When it goes out of date (a price sheet for the year); kept and listed after it.
    expires_on: date | None = None


class SalesLiterature(SalesLiteratureBase, RecordTable, table=True):
    __tablename__ = "sales_literature"


class SalesLiteratureCreate(SalesLiteratureBase, RequestFields):
    owner_id: uuid.UUID | None = None


class SalesLiteratureUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    literature_type: LiteratureType | None = None
    subject: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    expires_on: date | None = None
    owner_id: uuid.UUID | None = None


class SalesLiteraturePublic(SalesLiteratureBase, RecordPublic):
    pass


class SalesLiteratureFilters(SQLModel):
    literature_type: LiteratureType | None = None
    owner_id: uuid.UUID | None = None


class SalesLiteratureLink(SQLModel, table=True):
    """A piece of literature is about a product or a competitor."""

    __tablename__ = "sales_literature_link"

    literature_id: uuid.UUID = Field(foreign_key="sales_literature.id", primary_key=True)
    record_type: LinkedRecord = Field(sa_type=StrEnumType(LinkedRecord, 20), primary_key=True)
    record_id: uuid.UUID = Field(primary_key=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = None


class LinkRequest(RequestFields):
    record_id: uuid.UUID


class LinkPublic(SQLModel):
    record_type: LinkedRecord
    record_id: uuid.UUID
    name: str
    created_at: datetime


class AttachmentFields(SQLModel):
    file_name: str = Field(max_length=255)
    content_type: str = Field(max_length=255)
    size_bytes: int


class SalesLiteratureAttachment(AttachmentFields, table=True):
    """A file of a piece of literature, kept in the database: one backup holds everything."""

    __tablename__ = "sales_literature_attachment"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    literature_id: uuid.UUID = Field(foreign_key="sales_literature.id", index=True)
    content: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = None


class AttachmentPublic(AttachmentFields):
    id: uuid.UUID
    literature_id: uuid.UUID
    created_at: datetime
    created_by: uuid.UUID | None
