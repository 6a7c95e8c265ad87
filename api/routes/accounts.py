"""Accounts: organisations, in a parent/child hierarchy."""

from api.crud import crud_router
from models.account import AccountCreate, AccountFilters, AccountPublic, AccountUpdate
from models.permissions import Area
from services.accounts import accounts

router = crud_router(
    accounts,
    prefix="/accounts",
    tag="accounts",
    area=Area.customers,
    create=AccountCreate,
    update=AccountUpdate,
    public=AccountPublic,
    filters=AccountFilters,
)
