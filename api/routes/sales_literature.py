"""Sales literature: the records, what each is about (products, competitors), its files.

Anyone who may read the catalog reads and downloads them; those who may change it (managers,
admins) write them.
"""

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response, UploadFile, status

from api.body_limit import BodyTooLarge
from api.crud import crud_router
from api.deps import ActorDep, SessionDep, allow, record_access
from api.idempotency import new_id
from api.transitions import in_db
from models.errors import InvalidField
from models.permissions import Area, Operation
from models.sales_literature import (
    AttachmentPublic,
    LinkedRecord,
    LinkPublic,
    LinkRequest,
    SalesLiterature,
    SalesLiteratureCreate,
    SalesLiteratureFilters,
    SalesLiteraturePublic,
    SalesLiteratureUpdate,
)
from services import sales_literature
from services.sales_literature import literature

router = crud_router(
    literature,
    prefix="/sales-literature",
    tag="sales literature",
    area=Area.catalog,
    create=SalesLiteratureCreate,
    update=SalesLiteratureUpdate,
    public=SalesLiteraturePublic,
    filters=SalesLiteratureFilters,
)

# The upload route, for the body limit: a file may be larger than other requests.
UPLOAD_PATH = r"/sales-literature/[^/]+/attachments"
READ = [allow(Area.catalog, Operation.read)]
CHANGE = [allow(Area.catalog, Operation.change)]
Readable = Annotated[
    SalesLiterature, Depends(record_access(literature, Area.catalog, Operation.read))
]
Changeable = Annotated[
    SalesLiterature, Depends(record_access(literature, Area.catalog, Operation.change))
]


def _add_link_routes(kind: LinkedRecord) -> None:
    """`/sales-literature/{id}/products` and `.../competitors`: list, link, unlink."""
    path = f"/{{record_id}}/{kind}s"

    @router.get(path, response_model=list[LinkPublic], dependencies=READ, summary=f"Its {kind}s")
    def list_links(session: SessionDep, found: Readable, record_id: uuid.UUID) -> Any:
        return sales_literature.links(session, found.id, kind)

    @router.post(
        path,
        response_model=list[LinkPublic],
        status_code=status.HTTP_201_CREATED,
        dependencies=CHANGE,
        summary=f"Say it is about a {kind}",
    )
    def add_link(
        session: SessionDep,
        actor: ActorDep,
        found: Changeable,
        record_id: uuid.UUID,
        body: LinkRequest,
    ) -> Any:
        return sales_literature.link(session, found.id, kind, body.record_id, actor)

    @router.delete(
        f"{path}/{{linked_id}}",
        status_code=status.HTTP_204_NO_CONTENT,
        dependencies=CHANGE,
        summary=f"No longer about that {kind}",
    )
    def remove_link(
        session: SessionDep, found: Changeable, record_id: uuid.UUID, linked_id: uuid.UUID
    ) -> None:
        sales_literature.unlink(session, found.id, kind, linked_id)


for linked in LinkedRecord:
    _add_link_routes(linked)


@router.get("/{record_id}/attachments", response_model=list[AttachmentPublic], dependencies=READ)
def list_attachments(session: SessionDep, found: Readable, record_id: uuid.UUID) -> Any:
    """Its files, without their content."""
    return sales_literature.attachments(session, found.id)


@router.post(
    "/{record_id}/attachments",
    response_model=AttachmentPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
)
async def upload_attachment(
    request: Request, actor: ActorDep, found: Changeable, record_id: uuid.UUID, file: UploadFile
) -> Any:
    """Upload a file (multipart, field `file`); its content type is kept for the download.
    Larger than DEALFLOW_MAX_ATTACHMENT_BYTES: 413."""
    limit: int = request.app.state.settings.max_attachment_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise BodyTooLarge(limit)
    name = (file.filename or "").strip()
    if not 1 <= len(name) <= 255:
        raise InvalidField("file", "needs a file name of 1 to 255 characters")
    content_type = file.content_type or "application/octet-stream"
    if len(content_type) > 255:
        raise InvalidField("file", "has a content type longer than 255 characters")
    attachment_id = new_id(request)

    def store(session: Any) -> AttachmentPublic:
        return sales_literature.attach(
            session, found.id, name, content_type, content, actor, attachment_id
        )

    return await in_db(request, store)


@router.get(
    "/{record_id}/attachments/{attachment_id}",
    response_class=Response,
    dependencies=READ,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_attachment(
    session: SessionDep, found: Readable, record_id: uuid.UUID, attachment_id: uuid.UUID
) -> Response:
    """The file as uploaded, with its content type, as a download (never shown inline)."""
    stored = sales_literature.attachment(session, found.id, attachment_id)
    return Response(
        stored.content,
        media_type=stored.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.file_name)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.delete(
    "/{record_id}/attachments/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=CHANGE,
)
def delete_attachment(
    session: SessionDep, found: Changeable, record_id: uuid.UUID, attachment_id: uuid.UUID
) -> None:
    sales_literature.detach(session, found.id, attachment_id)
