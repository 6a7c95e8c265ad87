"""Who a token names is remembered a few seconds, never past its expiry: a change through this
API applies at once, one made elsewhere (another API process) once the entry has aged out."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col

from api.app import create_app
from core.db import make_engine
from core.security import issue_token
from core.settings import Settings
from models.user import Role, User
from tests.auth import add_user, bearer


def api_for(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://t"
    )


async def test_a_role_changed_through_the_api_applies_to_the_next_request(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    user = add_user(settings, Role.sales_manager)
    headers = bearer(settings, user)
    assert (await anonymous.get("/users", headers=headers)).status_code == 200
    changed = await client.patch(f"/users/{user.id}", json={"role": "salesperson"})
    assert changed.status_code == 200, changed.text
    assert (await anonymous.get("/users", headers=headers)).status_code == 403


@pytest.mark.parametrize("seconds", [0.5])
async def test_a_user_deactivated_by_another_process_is_refused_once_the_entry_ages_out(
    settings: Settings, seconds: float
) -> None:
    settings = settings.model_copy(update={"principal_cache_seconds": seconds})
    user = add_user(settings)
    headers = bearer(settings, user)
    async with api_for(settings) as api:
        assert (await api.get("/users/me", headers=headers)).status_code == 200
        engine = make_engine(settings.database_url)
        with engine.begin() as connection:  # as another process would: no ORM session here
            connection.execute(update(User).where(col(User.id) == user.id).values(is_active=False))
        engine.dispose()
        assert (await api.get("/accounts", headers=headers)).status_code == 200
        await asyncio.sleep(seconds)
        refused = await api.get("/accounts", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["detail"]["rule"] == "invalid_token"


async def test_with_no_cache_every_request_signs_the_caller_in(settings: Settings) -> None:
    settings = settings.model_copy(update={"principal_cache_seconds": 0})
    user = add_user(settings)
    headers = bearer(settings, user)
    async with api_for(settings) as api:
        assert (await api.get("/users/me", headers=headers)).status_code == 200
        engine = make_engine(settings.database_url)
        with engine.begin() as connection:
            connection.execute(update(User).where(col(User.id) == user.id).values(is_active=False))
        engine.dispose()
        assert (await api.get("/accounts", headers=headers)).status_code == 401


async def test_a_remembered_token_is_refused_once_it_expires(settings: Settings) -> None:
    user = add_user(settings)
    async with api_for(settings) as api:
        # Issued once the app is up, so a slow start does not spend the token's last seconds.
        almost_expired = datetime.now(UTC) - timedelta(seconds=settings.token_ttl_seconds - 5)
        token = issue_token(settings, user.id, now=almost_expired).token
        headers = {"Authorization": f"Bearer {token}"}
        assert (await api.get("/accounts", headers=headers)).status_code == 200
        await asyncio.sleep(6)  # the token expires within 5 s (its expiry is whole seconds)
        refused = await api.get("/accounts", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["detail"]["rule"] == "token_expired"
