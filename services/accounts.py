"""Accounts and contacts: the customer records every deal points at."""

import uuid
from collections.abc import Iterator

from sqlmodel import Session, col, select

from models.account import Account, check_parent_allowed
from models.contact import Contact, normalize_email
from models.errors import Conflict
from services.crud import Reference, Repository


class AccountRepository(Repository[Account]):
    def before_save(self, session: Session, record: Account) -> None:
        if record.parent_account_id is not None:
            check_parent_allowed(record.id, _ancestry(session, record.parent_account_id))


def _ancestry(session: Session, account_id: uuid.UUID) -> Iterator[uuid.UUID]:
    """The account and its ancestors, nearest first; stops at a stored cycle rather than looping."""
    seen: set[uuid.UUID] = set()
    current: uuid.UUID | None = account_id
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        current = session.exec(
            select(Account.parent_account_id).where(col(Account.id) == current)
        ).first()


class ContactRepository(Repository[Contact]):
    def before_save(self, session: Session, record: Contact) -> None:
        record.email = normalize_email(record.email)
        if record.email and record.is_active:
            duplicate = session.exec(
                select(Contact.id).where(
                    col(Contact.email) == record.email,
                    col(Contact.is_active),
                    col(Contact.id) != record.id,
                )
            ).first()
            if duplicate is not None:
                raise Conflict(
                    "contact_email_unique",
                    f"an active contact ({duplicate}) already has email {record.email}",
                    field="email",
                )


accounts = AccountRepository(
    Account,
    "account",
    sortable=frozenset({"name", "account_number", "city"}),
    search=("name", "account_number"),
    references=(
        Reference("parent_account_id", Account, "account"),
        Reference("primary_contact_id", Contact, "contact"),
    ),
)

contacts = ContactRepository(
    Contact,
    "contact",
    sortable=frozenset({"last_name", "first_name", "email"}),
    search=("last_name", "first_name", "email"),
    references=(Reference("parent_account_id", Account, "account"),),
)
