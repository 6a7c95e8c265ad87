"""Contacts: people, each with at most one parent account."""

from api.crud import crud_router
from models.contact import ContactCreate, ContactFilters, ContactPublic, ContactUpdate
from services.accounts import contacts

router = crud_router(
    contacts,
    prefix="/contacts",
    tag="contacts",
    create=ContactCreate,
    update=ContactUpdate,
    public=ContactPublic,
    filters=ContactFilters,
)
