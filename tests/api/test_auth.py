"""Signing in, tokens, API keys, users and teams, through the HTTP API."""

import logging
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlmodel import Session, select

from api.app import InsecureSettings, create_app
from core.db import make_engine
from core.security import issue_token
from core.settings import DEFAULT_JWT_SECRET, DEV_ADMIN_PASSWORD, Settings
from models.sign_in import SignInFailures
from models.user import Role, User
from tests.auth import add_team, add_user, bearer
from tests.conftest import ClientAs

PASSWORD = "correct horse battery"


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/auth/token", data={"username": email, "password": password})


async def test_sign_in_with_email_and_password_gives_a_bearer_token(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    user = add_user(settings, Role.sales_manager, email="Nora@Example.com", password=PASSWORD)
    response = await sign_in(anonymous, "nora@example.COM", PASSWORD)
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == settings.token_ttl_seconds

    me = await anonymous.get(
        "/users/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["id"] == str(user.id)
    assert me.json()["role"] == "sales_manager"


@pytest.mark.parametrize(
    ("email", "password"),
    [("nora@example.com", "wrong password"), ("nobody@example.com", PASSWORD)],
)
async def test_a_wrong_email_or_password_is_401_and_does_not_say_which(
    anonymous: httpx.AsyncClient, settings: Settings, email: str, password: str
) -> None:
    add_user(settings, email="nora@example.com", password=PASSWORD)
    response = await sign_in(anonymous, email, password)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"] == {
        "message": "wrong email or password",
        "rule": "invalid_credentials",
    }


async def test_a_deactivated_user_cannot_sign_in_nor_use_an_earlier_token(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient, settings: Settings
) -> None:
    user = add_user(settings, email="gone@example.com", password=PASSWORD)
    headers = bearer(settings, user)
    assert (await anonymous.get("/users/me", headers=headers)).status_code == 200
    assert (await client.post(f"/users/{user.id}/deactivate")).status_code == 200
    assert (await sign_in(anonymous, "gone@example.com", PASSWORD)).status_code == 401
    response = await anonymous.get("/users/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]["rule"] == "invalid_token"


async def test_sign_in_without_a_password_field_is_422_naming_it(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.post("/auth/token", data={"username": "a@example.com"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


async def test_an_expired_token_is_401_token_expired(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    user = add_user(settings)
    an_hour_and_more_ago = datetime.now(UTC) - timedelta(seconds=settings.token_ttl_seconds + 5)
    token = issue_token(settings, user.id, now=an_hour_and_more_ago).token
    response = await anonymous.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"]["rule"] == "token_expired"


async def test_a_token_lives_as_long_as_the_setting_says(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    user = add_user(settings)
    short = settings.model_copy(update={"token_ttl_seconds": 60})
    almost = issue_token(short, user.id, now=datetime.now(UTC) - timedelta(seconds=50)).token
    too_old = issue_token(short, user.id, now=datetime.now(UTC) - timedelta(seconds=70)).token
    ok = await anonymous.get("/users/me", headers={"Authorization": f"Bearer {almost}"})
    assert ok.status_code == 200
    late = await anonymous.get("/users/me", headers={"Authorization": f"Bearer {too_old}"})
    assert late.status_code == 401


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        # Signed with another secret: forged.
        issue_token(
            Settings(jwt_secret=SecretStr("another-secret-that-is-long-enough-32")), uuid.uuid4()
        ).token,
    ],
)
async def test_a_forged_or_malformed_token_is_401(anonymous: httpx.AsyncClient, token: str) -> None:
    response = await anonymous.get("/accounts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["detail"]["rule"] == "invalid_token"


async def test_an_api_key_is_shown_once_works_and_stops_working_when_revoked(
    anonymous: httpx.AsyncClient, client_as: ClientAs, settings: Settings
) -> None:
    alice = add_user(settings)
    api = client_as(alice)
    created = await api.post("/api-keys", json={"name": "crm sync"})
    assert created.status_code == 201, created.text
    key = created.json()
    secret = key["secret"]
    assert secret.startswith(key["prefix"]) and key["role"] == "salesperson"
    assert key["user_id"] == str(alice.id) and key["last_used_at"] is None

    listed = (await api.get("/api-keys")).json()
    assert listed["count"] == 1
    assert "secret" not in listed["data"][0] and secret not in str(listed)

    machine = {"X-API-Key": secret}
    me = await anonymous.get("/users/me", headers=machine)
    assert me.status_code == 200 and me.json()["id"] == str(alice.id)
    made = await anonymous.post("/accounts", json={"name": "Contoso"}, headers=machine)
    assert made.status_code == 201
    assert made.json()["created_by"] == str(alice.id)
    used = (await api.get("/api-keys")).json()["data"][0]
    assert used["last_used_at"] is not None

    revoked = await api.post(f"/api-keys/{key['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    response = await anonymous.get("/accounts", headers=machine)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"]["rule"] == "api_key_revoked"
    assert (await api.get("/api-keys")).json()["count"] == 0
    with_revoked = (await api.get("/api-keys", params={"include_revoked": True})).json()
    assert with_revoked["count"] == 1


async def test_an_unknown_api_key_is_401(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/accounts", headers={"X-API-Key": "dfk_nothing"})
    assert response.status_code == 401
    assert response.json()["detail"]["rule"] == "invalid_api_key"


async def test_an_api_key_acts_with_its_role_not_its_users(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    created = await client.post("/api-keys", json={"name": "reports", "role": "salesperson"})
    assert created.status_code == 201
    machine = {"X-API-Key": created.json()["secret"]}
    assert (await anonymous.get("/products", headers=machine)).status_code == 200
    refused = await anonymous.post("/products", json={"name": "X"}, headers=machine)
    assert refused.status_code == 403
    assert (await anonymous.get("/users", headers=machine)).status_code == 403
    # A key may not mint a stronger key than itself.
    stronger = await anonymous.post(
        "/api-keys", json={"name": "escalate", "role": "admin"}, headers=machine
    )
    assert stronger.status_code == 422
    assert stronger.json()["detail"][0]["loc"] == ["body", "role"]


async def test_api_key_roles_stop_at_the_users_role(
    client_as: ClientAs, client: httpx.AsyncClient, settings: Settings
) -> None:
    alice = add_user(settings)
    response = await client_as(alice).post("/api-keys", json={"name": "x", "role": "admin"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "role"]
    # An admin makes keys for others, within their role; others may not.
    for_alice = await client.post("/api-keys", json={"name": "a", "user_id": str(alice.id)})
    assert for_alice.status_code == 201 and for_alice.json()["role"] == "salesperson"
    bob = add_user(settings)
    refused = await client_as(bob).post("/api-keys", json={"name": "b", "user_id": str(alice.id)})
    assert refused.status_code == 403
    assert refused.json()["detail"]["field"] == "user_id"


async def test_keys_are_revoked_by_their_user_or_an_admin_only(
    client_as: ClientAs, client: httpx.AsyncClient, settings: Settings
) -> None:
    alice, bob = add_user(settings), add_user(settings)
    key = (await client_as(alice).post("/api-keys", json={"name": "a"})).json()
    assert (await client_as(bob).get("/api-keys")).json()["count"] == 0
    hidden = await client_as(bob).post(f"/api-keys/{key['id']}/revoke")
    assert hidden.status_code == 404
    assert hidden.json()["detail"]["record"] == "api key"
    assert (await client.get("/api-keys")).json()["count"] == 1  # the admin sees everyone's
    assert (await client.post(f"/api-keys/{key['id']}/revoke")).status_code == 200


def _all_text(response: httpx.Response) -> str:
    return response.text + str(dict(response.headers))


async def test_passwords_and_their_hashes_are_never_answered_nor_logged(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    settings: Settings,
    session: Session,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    body = {"name": "Ivy", "email": "ivy@example.com", "role": "salesperson", "password": PASSWORD}
    created = await client.post("/users", json=body)
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    stored = session.exec(select(User).where(User.email == "ivy@example.com")).one()
    assert stored.password_hash and stored.password_hash.startswith("$argon2")
    assert stored.password_hash not in repr(stored)

    token = (await sign_in(anonymous, "ivy@example.com", PASSWORD)).json()["access_token"]
    await sign_in(anonymous, "ivy@example.com", "a wrong password")
    ivy = {"Authorization": f"Bearer {token}"}
    responses = [
        created,
        await client.get(f"/users/{user_id}"),
        await client.get("/users", params={"q": "ivy"}),
        await client.patch(f"/users/{user_id}", json={"password": "another long password"}),
        await anonymous.get("/users/me", headers=ivy),
        await client.post(f"/users/{user_id}/deactivate"),
    ]
    for response in responses:
        assert response.status_code == 200 or response is created, response.text
        for secret in (PASSWORD, "another long password", stored.password_hash, "$argon2"):
            assert secret not in _all_text(response)
        assert "password" not in response.json() and "password_hash" not in str(response.json())
    logged = caplog.text + "".join(capsys.readouterr())
    for secret in (PASSWORD, "a wrong password", "another long password", "$argon2"):
        assert secret not in logged


async def test_a_new_password_replaces_the_old_one(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    user = add_user(settings, email="max@example.com", password=PASSWORD)
    changed = await client.patch(f"/users/{user.id}", json={"password": "a brand new password"})
    assert changed.status_code == 200
    assert (await sign_in(anonymous, "max@example.com", PASSWORD)).status_code == 401
    assert (await sign_in(anonymous, "max@example.com", "a brand new password")).status_code == 200
    cleared = await client.patch(f"/users/{user.id}", json={"password": None})
    assert cleared.status_code == 422
    assert cleared.json()["detail"][0]["loc"] == ["body", "password"]


async def test_a_short_password_is_422_naming_the_field(client: httpx.AsyncClient) -> None:
    body = {"name": "Short", "email": "short@example.com", "password": "1234"}
    response = await client.post("/users", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


async def test_emails_are_unique_ignoring_case(client: httpx.AsyncClient) -> None:
    first = await client.post("/users", json={"name": "A", "email": "same@example.com"})
    assert first.status_code == 201
    second = await client.post("/users", json={"name": "B", "email": "SAME@example.com"})
    assert second.status_code == 409
    assert second.json()["detail"]["rule"] == "user_email_taken"
    assert second.json()["detail"]["field"] == "email"


async def test_the_last_admin_can_be_neither_deactivated_nor_demoted(
    client: httpx.AsyncClient,
) -> None:
    me = (await client.get("/users/me")).json()
    for response in (
        await client.post(f"/users/{me['id']}/deactivate"),
        await client.patch(f"/users/{me['id']}", json={"role": "sales_manager"}),
    ):
        assert response.status_code == 409
        assert response.json()["detail"]["rule"] == "last_admin"
    other = await client.post(
        "/users", json={"name": "Second", "email": "second@example.com", "role": "admin"}
    )
    assert other.status_code == 201
    demoted = await client.patch(f"/users/{me['id']}", json={"role": "sales_manager"})
    assert demoted.status_code == 200


async def test_teams_have_a_manager_who_manages(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    alice = add_user(settings)
    nora = add_user(settings, Role.sales_manager)
    refused = await client.post("/teams", json={"name": "North", "manager_user_id": str(alice.id)})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "manager_user_id"]
    team = await client.post("/teams", json={"name": "North", "manager_user_id": str(nora.id)})
    assert team.status_code == 201
    duplicate = await client.post("/teams", json={"name": "north"})
    assert duplicate.status_code == 409
    moved = await client.patch(f"/users/{alice.id}", json={"team_id": team.json()["id"]})
    assert moved.json()["team_id"] == team.json()["id"]
    unknown = await client.patch(f"/users/{alice.id}", json={"team_id": str(uuid.uuid4())})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "team_id"]


async def test_the_production_api_refuses_to_start_with_an_unsafe_secret(
    settings: Settings,
) -> None:
    for unsafe in (
        {"jwt_secret": SecretStr(DEFAULT_JWT_SECRET)},
        {"jwt_secret": SecretStr("short")},
        {"admin_password": SecretStr(DEV_ADMIN_PASSWORD)},
    ):
        with pytest.raises(InsecureSettings):
            create_app(settings.model_copy(update={"env": "production", **unsafe}))
    development = {"env": "development", "jwt_secret": SecretStr(DEFAULT_JWT_SECRET)}
    assert isinstance(create_app(settings.model_copy(update=development)), FastAPI)


async def test_the_first_start_creates_the_configured_admin_once(settings: Settings) -> None:
    configured = settings.model_copy(
        update={"admin_email": "first@example.com", "admin_password": SecretStr(PASSWORD)}
    )
    app = create_app(configured)
    async with app.router.lifespan_context(app):
        pass
    async with app.router.lifespan_context(create_app(configured)):
        pass
    transport = httpx.ASGITransport(app=create_app(configured))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as anonymous:
        token = (await sign_in(anonymous, "first@example.com", PASSWORD)).json()["access_token"]
        me = await anonymous.get("/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["role"] == "admin"
        users = await anonymous.get("/users", headers={"Authorization": f"Bearer {token}"})
        assert users.json()["count"] == 1


async def test_no_first_admin_once_users_exist(settings: Settings, session: Session) -> None:
    add_user(settings, Role.salesperson)
    configured = settings.model_copy(
        update={"admin_email": "late@example.com", "admin_password": SecretStr(PASSWORD)}
    )
    app = create_app(configured)
    async with app.router.lifespan_context(app):
        pass
    assert session.exec(select(User).where(User.email == "late@example.com")).first() is None


async def test_records_carry_who_made_and_changed_them(
    client_as: ClientAs, settings: Settings
) -> None:
    nora = add_user(settings, Role.sales_manager)
    alice = add_user(settings, team_id=add_team(settings, "North", nora).id)
    made = (await client_as(alice).post("/accounts", json={"name": "Contoso"})).json()
    assert made["owner_id"] == made["created_by"] == made["modified_by"] == str(alice.id)
    changed = await client_as(nora).patch(f"/accounts/{made['id']}", json={"city": "Oslo"})
    assert changed.status_code == 200
    assert changed.json()["modified_by"] == str(nora.id)
    assert changed.json()["created_by"] == changed.json()["owner_id"] == str(alice.id)


async def test_a_sign_in_email_may_be_on_an_in_house_domain(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    body = {"name": "Local", "email": " Admin@Dealflow.LOCAL ", "password": PASSWORD}
    created = await client.post("/users", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "admin@dealflow.local"
    token = (await sign_in(anonymous, "admin@dealflow.local", PASSWORD)).json()["access_token"]
    me = await anonymous.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "admin@dealflow.local"
    not_an_email = await client.post("/users", json={"name": "X", "email": "nobody"})
    assert not_an_email.status_code == 422
    assert not_an_email.json()["detail"][0]["loc"] == ["body", "email"]


async def test_an_overlong_sign_in_is_refused_like_any_wrong_one(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await sign_in(anonymous, "a" * 5000 + "@example.com", "b" * 5000)
    assert response.status_code == 401
    assert response.json()["detail"]["rule"] == "invalid_credentials"


async def test_five_wrong_passwords_lock_the_email_even_for_the_right_one(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    add_user(settings, email="nora@example.com", password=PASSWORD)
    for _ in range(settings.sign_in_max_failures):
        assert (await sign_in(anonymous, "nora@example.com", "wrong password")).status_code == 401

    locked = await sign_in(anonymous, "Nora@Example.com", PASSWORD)
    assert locked.status_code == 429
    assert 890 <= int(locked.headers["retry-after"]) <= 900
    detail = locked.json()["detail"]
    assert detail["rule"] == "too_many_sign_ins"
    assert detail["retry_after"] == int(locked.headers["retry-after"])
    with Session(make_engine(settings.database_url)) as session:
        failures = session.get(SignInFailures, "nora@example.com")
        assert failures is not None and failures.failures == settings.sign_in_max_failures


async def test_an_unknown_email_is_locked_the_same_way(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    for _ in range(settings.sign_in_max_failures):
        assert (await sign_in(anonymous, "nobody@example.com", PASSWORD)).status_code == 401
    assert (await sign_in(anonymous, "nobody@example.com", PASSWORD)).status_code == 429


async def test_a_right_password_before_the_limit_starts_the_count_again(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    add_user(settings, email="nora@example.com", password=PASSWORD)
    for _ in range(2):
        for _ in range(settings.sign_in_max_failures - 1):
            wrong = await sign_in(anonymous, "nora@example.com", "wrong password")
            assert wrong.status_code == 401
        assert (await sign_in(anonymous, "nora@example.com", PASSWORD)).status_code == 200
    with Session(make_engine(settings.database_url)) as session:
        assert session.get(SignInFailures, "nora@example.com") is None


async def test_once_the_lockout_has_passed_the_right_password_signs_in(
    anonymous: httpx.AsyncClient, settings: Settings
) -> None:
    add_user(settings, email="nora@example.com", password=PASSWORD)
    for _ in range(settings.sign_in_max_failures):
        await sign_in(anonymous, "nora@example.com", "wrong password")
    engine = make_engine(settings.database_url)
    with Session(engine) as session:  # as if the lockout began 16 minutes ago
        failures = session.get(SignInFailures, "nora@example.com")
        assert failures is not None and failures.locked_until is not None
        failures.locked_until -= timedelta(minutes=16)
        failures.last_failure_at -= timedelta(minutes=16)
        session.commit()
    assert (await sign_in(anonymous, "nora@example.com", PASSWORD)).status_code == 200
    with Session(engine) as session:
        assert session.get(SignInFailures, "nora@example.com") is None
