"""Contacts: people, each with at most one parent account."""

from api.crud import crud_router
from models.contact import ContactCreate, ContactFilters, ContactPublic, ContactUpdate
from models.permissions import Area
from services.accounts import contacts

router = crud_router(
    contacts,
    prefix="/contacts",
    tag="contacts",
    area=Area.customers,
    create=ContactCreate,
    update=ContactUpdate,
    public=ContactPublic,
    filters=ContactFilters,
)
