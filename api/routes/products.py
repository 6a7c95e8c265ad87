"""Products: what is sold, in the units of its unit group."""

from api.crud import crud_router
from models.permissions import Area
from models.product import ProductCreate, ProductFilters, ProductPublic, ProductUpdate
from services.catalog import products

router = crud_router(
    products,
    prefix="/products",
    tag="products",
    area=Area.catalog,
    create=ProductCreate,
    update=ProductUpdate,
    public=ProductPublic,
    filters=ProductFilters,
)
