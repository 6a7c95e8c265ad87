"""Users and credentials for tests: users made straight in the database, tokens issued directly
(argon2 only where a test signs in with a password)."""

import uuid

from sqlmodel import Session, col, select

from core.db import make_engine
from core.security import hash_password, issue_token
from core.settings import Settings
from models.user import Role, Team, User

TEST_ADMIN_EMAIL = "admin@example.com"


def add_user(
    settings: Settings,
    role: Role = Role.salesperson,
    *,
    team_id: uuid.UUID | None = None,
    email: str | None = None,
    password: str | None = None,
    active: bool = True,
) -> User:
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            user = User(
                name=f"{role} {uuid.uuid4().hex[:6]}",
                email=email or f"{role}-{uuid.uuid4().hex[:8]}@example.com",
                role=role,
                team_id=team_id,
                password_hash=hash_password(password) if password else None,
                is_active=active,
            )
            session.add(user)
            session.commit()
            session.refresh(user)
            session.expunge(user)
            return user
    finally:
        engine.dispose()


def add_team(settings: Settings, name: str, manager: User | None = None) -> Team:
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            team = Team(name=name, manager_user_id=manager.id if manager else None)
            session.add(team)
            session.commit()
            session.refresh(team)
            session.expunge(team)
            return team
    finally:
        engine.dispose()


def bearer(settings: Settings, user: User | uuid.UUID) -> dict[str, str]:
    user_id = user.id if isinstance(user, User) else user
    return {"Authorization": f"Bearer {issue_token(settings, user_id).token}"}


def admin_headers(settings: Settings) -> dict[str, str]:
    """Headers of the test database's admin, made on first use."""
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            found = session.exec(select(User.id).where(col(User.email) == TEST_ADMIN_EMAIL)).first()
    finally:
        engine.dispose()
    if found is None:
        found = add_user(settings, Role.admin, email=TEST_ADMIN_EMAIL).id
    return bearer(settings, found)
