"""Tax rates: the percentages a line may name for its tax."""

from api.crud import crud_router
from models.permissions import Area
from models.tax_rate import TaxRateCreate, TaxRateFilters, TaxRatePublic, TaxRateUpdate
from services.tax_rates import tax_rates

router = crud_router(
    tax_rates,
    prefix="/tax-rates",
    tag="tax rates",
    area=Area.catalog,
    create=TaxRateCreate,
    update=TaxRateUpdate,
    public=TaxRatePublic,
    filters=TaxRateFilters,
)
