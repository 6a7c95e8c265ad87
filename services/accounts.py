"""Accounts and contacts: the customer records every deal points at."""

from sqlmodel import Session

from models.account import Account, check_parent_allowed
from models.contact import Contact, normalize_email
from services.crud import Reference, Repository, Unique, ancestry


class AccountRepository(Repository[Account]):
    def before_save(self, session: Session, record: Account) -> None:
        if record.parent_account_id is not None:
            check_parent_allowed(
                record.id, ancestry(session, Account, "parent_account_id", record.parent_account_id)
            )


class ContactRepository(Repository[Contact]):
    def before_save(self, session: Session, record: Contact) -> None:
        record.email = normalize_email(record.email)


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
    unique=(Unique("contact_email_unique", ("email",), active_only=True),),
)
