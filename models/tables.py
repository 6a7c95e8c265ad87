"""Imports every table module, so SQLModel's metadata (and so Alembic) sees the whole schema."""

from models.account import Account
from models.contact import Contact

__all__ = ["Account", "Contact"]
