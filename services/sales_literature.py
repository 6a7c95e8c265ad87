"""Sales literature, its links to products and competitors, and its attachments."""

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from models.competitor import Competitor
from models.errors import InvalidField, NotFound
from models.product import Product
from models.sales_literature import (
    AttachmentPublic,
    LinkedRecord,
    LinkPublic,
    SalesLiterature,
    SalesLiteratureAttachment,
    SalesLiteratureLink,
)
from services.crud import Repository

literature = Repository(
    SalesLiterature,
    "sales literature",
    sortable=frozenset({"title", "literature_type", "expires_on"}),
    search=("title", "subject"),
)

LINKABLE: dict[LinkedRecord, type[Product] | type[Competitor]] = {
    LinkedRecord.product: Product,
    LinkedRecord.competitor: Competitor,
}


def links(session: Session, literature_id: uuid.UUID, kind: LinkedRecord) -> list[LinkPublic]:
    model = LINKABLE[kind]
    rows = session.exec(
        select(SalesLiteratureLink, model.name)
        .join(model, col(model.id) == col(SalesLiteratureLink.record_id))
        .where(
            col(SalesLiteratureLink.literature_id) == literature_id,
            col(SalesLiteratureLink.record_type) == kind,
        )
        .order_by(col(model.name))
    ).all()
    return [
        LinkPublic(
            record_type=link.record_type,
            record_id=link.record_id,
            name=name,
            created_at=link.created_at,
        )
        for link, name in rows
    ]


def link(
    session: Session,
    literature_id: uuid.UUID,
    kind: LinkedRecord,
    record_id: uuid.UUID,
    actor: uuid.UUID,
) -> list[LinkPublic]:
    """Linking twice is linking once."""
    if session.get(LINKABLE[kind], record_id) is None:
        raise InvalidField("record_id", f"{kind} {record_id} not found")
    if session.get(SalesLiteratureLink, (literature_id, kind, record_id)) is None:
        session.add(
            SalesLiteratureLink(
                literature_id=literature_id, record_type=kind, record_id=record_id, created_by=actor
            )
        )
        session.commit()
    return links(session, literature_id, kind)


def unlink(
    session: Session, literature_id: uuid.UUID, kind: LinkedRecord, record_id: uuid.UUID
) -> None:
    found = session.get(SalesLiteratureLink, (literature_id, kind, record_id))
    if found is None:
        raise NotFound(str(kind), record_id)
    session.delete(found)
    session.commit()


def attachments(session: Session, literature_id: uuid.UUID) -> Sequence[AttachmentPublic]:
    """The files, without their content (a list must not load every file)."""
    rows = session.exec(
        select(SalesLiteratureAttachment)
        .options(defer(SalesLiteratureAttachment.content))  # type: ignore[arg-type]
        .where(col(SalesLiteratureAttachment.literature_id) == literature_id)
        .order_by(col(SalesLiteratureAttachment.created_at))
    ).all()
    return [AttachmentPublic.model_validate(row, from_attributes=True) for row in rows]


def attach(
    session: Session,
    literature_id: uuid.UUID,
    file_name: str,
    content_type: str,
    content: bytes,
    actor: uuid.UUID,
    attachment_id: uuid.UUID,
) -> AttachmentPublic:
    """`attachment_id`: a keyed retry names the same attachment, and finds it made."""
    found = session.get(SalesLiteratureAttachment, attachment_id)
    if found is None:
        found = SalesLiteratureAttachment(
            id=attachment_id,
            literature_id=literature_id,
            file_name=file_name,
            content_type=content_type,
            size_bytes=len(content),
            content=content,
            created_by=actor,
        )
        session.add(found)
        session.commit()
        session.refresh(found)
    return AttachmentPublic.model_validate(found, from_attributes=True)


def attachment(
    session: Session, literature_id: uuid.UUID, attachment_id: uuid.UUID
) -> SalesLiteratureAttachment:
    found = session.get(SalesLiteratureAttachment, attachment_id)
    if found is None or found.literature_id != literature_id:
        raise NotFound("attachment", attachment_id)
    return found


def detach(session: Session, literature_id: uuid.UUID, attachment_id: uuid.UUID) -> None:
    session.delete(attachment(session, literature_id, attachment_id))
    session.commit()
