"""Products: what is sold, in the units of its unit group; the properties its lines fill
(`/products/{id}/properties`), and the products related to it (`/products/{id}/related`)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status

from api.crud import crud_router, nested_router
from api.deps import ActorDep, SessionDep, allow, record_access
from api.idempotency import new_id
from models.permissions import Area, Operation
from models.product import (
    Product,
    ProductCreate,
    ProductFilters,
    ProductPublic,
    ProductUpdate,
)
from models.product_property import (
    ProductPropertyCreate,
    ProductPropertyFilters,
    ProductPropertyPublic,
    ProductPropertyUpdate,
)
from models.product_relationship import RelatedProduct, RelateProduct
from services import product_extras
from services.catalog import products
from services.product_extras import product_properties

router = APIRouter()
products_router = crud_router(
    products,
    prefix="/products",
    tag="products",
    area=Area.catalog,
    create=ProductCreate,
    update=ProductUpdate,
    public=ProductPublic,
    filters=ProductFilters,
)

READ = [allow(Area.catalog, Operation.read)]
CHANGE = [allow(Area.catalog, Operation.change)]
Readable = Annotated[Product, Depends(record_access(products, Area.catalog, Operation.read))]
Changeable = Annotated[Product, Depends(record_access(products, Area.catalog, Operation.change))]


@products_router.get(
    "/{record_id}/related",
    response_model=list[RelatedProduct],
    dependencies=READ,
    summary="Its related products",
)
def list_related(session: SessionDep, found: Readable, record_id: uuid.UUID) -> Any:
    """Cross-sells, up-sells, substitutes and accessories of the product: its own relationships,
    and those made on another product that go both ways."""
    return product_extras.related(session, found.id)


@products_router.post(
    "/{record_id}/related",
    response_model=RelatedProduct,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
    summary="Relate a product to it",
)
def relate_product(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    found: Changeable,
    record_id: uuid.UUID,
    body: RelateProduct,
) -> Any:
    """A product is not related to itself (422), nor twice in the same way (409)."""
    return product_extras.relate(session, found.id, body, actor, new_id(request))


@products_router.delete(
    "/{record_id}/related/{relationship_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=CHANGE,
    summary="Unrelate a product",
)
def unrelate_product(
    session: SessionDep, found: Changeable, record_id: uuid.UUID, relationship_id: uuid.UUID
) -> None:
    product_extras.unrelate(session, found.id, relationship_id)


router.include_router(products_router)
router.include_router(
    nested_router(
        products,
        product_properties,
        prefix="/products/{parent_id}/properties",
        parent_field="product_id",
        tag="products",
        area=Area.catalog,
        create=ProductPropertyCreate,
        update=ProductPropertyUpdate,
        public=ProductPropertyPublic,
        filters=ProductPropertyFilters,
    )
)
