"""Users, teams and API keys: who works in dealflow, in which team, with which security role."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import sqlalchemy as sa
from pydantic import SecretStr, StringConstraints
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, StrEnumType, UTCDateTime, utcnow


class Role(StrEnum):
    """Dynamics' sales security roles, in small: each role can do what the one before it can."""

    salesperson = "salesperson"
    sales_manager = "sales_manager"
    admin = "admin"


PASSWORD_MIN_LENGTH = 8

# A user's email is their sign-in name, not a mailbox to check: any name@domain, so in-house domains
# (the development admin is admin@dealflow.local) are fine. Stored lowercased. No control
# characters: some count as whitespace to one reader and not another, so the address read back
# would not be the one checked.
SignInEmail = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=3,
        max_length=100,
        pattern=r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+$",
    ),
]


class TeamBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    # Users point at their team too: the key is added after both tables exist (use_alter).
    manager_user_id: uuid.UUID | None = Field(
        default=None,
        sa_column_args=[
            sa.ForeignKey("system_user.id", use_alter=True, name="fk_team_manager_user_id")
        ],
    )
    description: str | None = Field(default=None, max_length=2000)


class Team(TeamBase, RecordTable, table=True):
    pass


class TeamCreate(TeamBase, RequestFields):
    pass


class TeamUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    manager_user_id: uuid.UUID | None = None
    description: str | None = Field(default=None, max_length=2000)


class TeamPublic(TeamBase, RecordPublic):
    pass


class TeamFilters(SQLModel):
    manager_user_id: uuid.UUID | None = None


class UserBase(SQLModel):
    name: str = Field(min_length=1, max_length=160, index=True)
    email: SignInEmail = Field(sa_type=sa.String(100), unique=True)
    role: Role = Field(default=Role.salesperson, sa_type=StrEnumType(Role, 20), index=True)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)


class User(UserBase, RecordTable, table=True):
    # "user" is reserved in PostgreSQL; Dynamics calls the entity systemuser.
    __tablename__ = "system_user"

    # None: the user cannot sign in with a password (API keys only).
    password_hash: str | None = Field(default=None, max_length=255, repr=False)


class UserCreate(UserBase, RequestFields):
    password: SecretStr | None = Field(default=None, min_length=PASSWORD_MIN_LENGTH, max_length=128)


class UserUpdate(RequestFields):
    """Partial update: only the fields sent are changed; `password` sets a new one."""

    name: str | None = Field(default=None, min_length=1, max_length=160)
    email: SignInEmail | None = None
    role: Role | None = None
    team_id: uuid.UUID | None = None
    password: SecretStr | None = Field(default=None, min_length=PASSWORD_MIN_LENGTH, max_length=128)


class UserPublic(UserBase, RecordPublic):
    """Never the password hash."""


class UserFilters(SQLModel):
    role: Role | None = None
    team_id: uuid.UUID | None = None


class ApiKey(SQLModel, table=True):
    """A machine client's credential: only the secret's SHA-256 is stored, the secret never."""

    __tablename__ = "api_key"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    user_id: uuid.UUID = Field(foreign_key="system_user.id", index=True)
    role: Role = Field(sa_type=StrEnumType(Role, 20))
    # The secret's first characters, so people can tell their keys apart.
    prefix: str = Field(max_length=16)
    secret_hash: str = Field(max_length=64, unique=True, repr=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = None
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by: uuid.UUID | None = None


class ApiKeyCreate(RequestFields):
    name: str = Field(min_length=1, max_length=100)
    role: Role | None = Field(
        default=None, description="What the key may do; the user's own role if not given."
    )
    user_id: uuid.UUID | None = Field(
        default=None, description="Whose key it is; the caller if not given (admins: anyone)."
    )


class ApiKeyPublic(SQLModel):
    id: uuid.UUID
    name: str
    user_id: uuid.UUID
    role: Role
    prefix: str
    created_at: datetime
    created_by: uuid.UUID | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by: uuid.UUID | None


class ApiKeyCreated(ApiKeyPublic):
    """The answer to creating a key: the only time its secret is shown."""

    secret: str


class ApiKeyFilters(SQLModel):
    user_id: uuid.UUID | None = None


class Token(SQLModel):
    """OAuth2's token response."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int


class AssignOwner(RequestFields):
    """`POST /{records}/{id}/assign`: the record's new owner."""

    owner_id: uuid.UUID
