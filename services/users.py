"""Users and teams, signing in, and the owner lookups the permission rules need."""

import uuid
from collections.abc import Iterable
from datetime import datetime

import structlog
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from core.security import hash_password, verify_password
from models.contact import normalize_email
from models.errors import InvalidField, TooManySignIns, Unauthenticated
from models.permissions import (
    Area,
    Owner,
    Principal,
    change_allowed_without_owner,
    check_admin_remains,
    check_assign,
    check_change,
    check_owner_choice,
    lesser,
)
from models.sign_in import SignInFailures, SignInPolicy, count_failure, locked_for
from models.user import ApiKey, Role, Team, User, UserCreate, UserUpdate
from services.crud import NO_SCOPE, Reference, Repository, Scope, Unique, apply_patch

log = structlog.get_logger()


class UserRepository(Repository[User]):
    """Passwords arrive in the clear and are stored only as argon2 hashes."""

    def create(
        self,
        session: Session,
        data: SQLModel,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
        record_id: uuid.UUID | None = None,
    ) -> User:
        if not isinstance(data, UserCreate):
            raise TypeError(f"a UserCreate, not {type(data).__name__}")
        record = User.model_validate(data.model_dump(exclude={"password"}))
        record.id = record_id or record.id
        if data.password is not None:
            record.password_hash = hash_password(data.password.get_secret_value())
        record.owner_id = actor
        record.created_by = record.modified_by = actor
        return self._save(session, record, created=True)

    def update(
        self,
        session: Session,
        record_id: uuid.UUID,
        patch: SQLModel,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
    ) -> User:
        if not isinstance(patch, UserUpdate):
            raise TypeError(f"a UserUpdate, not {type(patch).__name__}")
        record = self.get(session, record_id, scope)
        apply_patch(record, patch.model_dump(exclude_unset=True, exclude={"password"}))
        if "password" in patch.model_fields_set:
            if patch.password is None:
                raise InvalidField("password", "may not be null")
            record.password_hash = hash_password(patch.password.get_secret_value())
        return self._touch_and_save(session, record, actor)

    def before_save(self, session: Session, record: User) -> None:
        record.email = normalize_email(record.email) or record.email
        stored = session.exec(
            select(User.role, User.is_active).where(col(User.id) == record.id)
        ).first()
        was_admin = stored is not None and stored[0] == Role.admin and stored[1]
        if was_admin and not (record.role is Role.admin and record.is_active):
            others = session.exec(
                select(func.count())
                .select_from(User)
                .where(col(User.role) == Role.admin, col(User.is_active), col(User.id) != record.id)
            ).one()
            check_admin_remains(others)


class TeamRepository(Repository[Team]):
    def before_save(self, session: Session, record: Team) -> None:
        if record.manager_user_id is None:
            return
        manager = session.get(User, record.manager_user_id)
        if manager is None or not manager.is_active:
            raise InvalidField("manager_user_id", f"no active user {record.manager_user_id}")
        if manager.role is Role.salesperson:
            raise InvalidField("manager_user_id", "must be a sales manager or an admin")


users = UserRepository(
    User,
    "user",
    sortable=frozenset({"name", "email", "role"}),
    search=("name", "email"),
    references=(Reference("team_id", Team, "team"),),
    unique=(Unique("user_email_taken", ("email",)),),
)

teams = TeamRepository(
    Team,
    "team",
    sortable=frozenset({"name"}),
    search=("name",),
    unique=(Unique("team_name_taken", ("name",), active_only=True),),
)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password; None for any mismatch, told apart by no one."""
    if len(email) > 100 or len(password) > 128:  # longer than any stored: no hashing to do
        return None
    user = session.exec(
        select(User).where(func.lower(col(User.email)) == normalize_email(email))
    ).first()
    if not verify_password(password, user.password_hash if user else None):
        return None
    return user if user and user.is_active else None


def sign_in(
    session: Session, email: str, password: str, now: datetime, policy: SignInPolicy
) -> User:
    """`authenticate`, behind the lockout: a locked email is refused even with the right password,
    before any password is checked."""
    key = (normalize_email(email) or "")[:100]
    failures = session.get(SignInFailures, key)
    wait = locked_for(failures, now)
    if wait is not None:
        raise TooManySignIns(wait)
    user = authenticate(session, email, password)
    if user is None:
        session.add(count_failure(failures, key, now, policy))
        try:
            session.commit()
        except IntegrityError:  # another request counted this email's first failure meanwhile
            session.rollback()
        raise Unauthenticated("invalid_credentials", "wrong email or password")
    if failures is not None:
        session.delete(failures)
        session.commit()
    return user


def active_user(session: Session, user_id: uuid.UUID) -> User | None:
    user = session.get(User, user_id)
    return user if user and user.is_active else None


def principal_of(session: Session, user: User, api_key: ApiKey | None = None) -> Principal:
    """The caller as the rules see them; through an API key, never more than the key's role."""
    managed = session.exec(
        select(Team.id).where(col(Team.manager_user_id) == user.id, col(Team.is_active))
    ).all()
    return Principal(
        user_id=user.id,
        role=user.role if api_key is None else lesser(api_key.role, user.role),
        team_id=user.team_id,
        managed_team_ids=frozenset(managed),
        api_key_id=api_key.id if api_key else None,
    )


def owners_of(session: Session, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Owner]:
    """Owner, team and active flag of each of these users (unknown ids are left out)."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.exec(
        select(User.id, User.team_id, User.is_active).where(col(User.id).in_(wanted))
    ).all()
    return {row[0]: Owner(row[0], row[1], row[2]) for row in rows}


def owner(session: Session, user_id: uuid.UUID | None) -> Owner | None:
    return owners_of(session, [user_id]).get(user_id) if user_id else None


def check_may_change(
    session: Session, principal: Principal, area: Area, record: str, owner_id: uuid.UUID | None
) -> None:
    if not change_allowed_without_owner(principal, area, owner_id):
        check_change(principal, area, record, owner(session, owner_id))


def check_may_assign(
    session: Session,
    principal: Principal,
    area: Area,
    record: str,
    owner_id: uuid.UUID | None,
    new_owner_id: uuid.UUID | None,
) -> None:
    check_assign(principal, area, record, owner(session, owner_id), owner(session, new_owner_id))


def check_may_own(session: Session, principal: Principal, new_owner_id: uuid.UUID | None) -> None:
    """A new record's owner, when the caller names one: themselves, or whom they may assign to."""
    if new_owner_id is not None and new_owner_id != principal.user_id:
        check_owner_choice(principal, owner(session, new_owner_id))


def ensure_first_admin(session: Session, email: str, password: str) -> User | None:
    """On a database without users, the admin configured for first start. Several API processes
    starting at once may race here: the unique email lets one win, the others find it made."""
    if session.exec(select(User.id).limit(1)).first() is not None:
        return None
    admin = User(
        name="Administrator",
        email=normalize_email(email) or email,
        role=Role.admin,
        password_hash=hash_password(password),
    )
    session.add(admin)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    session.refresh(admin)
    log.info("first admin created", email=admin.email, user_id=str(admin.id))
    return admin


def team_member_ids(session: Session, team_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The users of these teams (active or not: their deals stay their team's)."""
    wanted = set(team_ids)
    if not wanted:
        return set()
    return set(session.exec(select(User.id).where(col(User.team_id).in_(wanted))).all())
