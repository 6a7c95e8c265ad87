"""`Idempotency-Key` on POST: a retried request answers what the first one answered.

A pure ASGI middleware, so it sees every POST route's answer whole (status and body) without
each route knowing. Keys belong to a caller (the user of a token, or an API key), so two
callers never see each other's answers. A request with a key also names what it makes after the
key (`new_id`, `step_id`): a retry whose first attempt died half-way (after Temporal ran the
transition, before the answer was stored) finds the same records and the same step, and
changes nothing twice.
"""

import json
import time
import uuid
from datetime import timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core import security
from core.settings import Settings
from models.base import utcnow
from models.errors import Unauthenticated
from models.idempotency import MAX_KEY_LENGTH, Claim, derived_id, fingerprint
from services import idempotency

HEADER = "idempotency-key"
# A request still unanswered after this long died with its process: a retry may run it again.
UNANSWERED_AFTER = timedelta(minutes=2)
PURGE_EVERY_SECONDS = 3600.0
# Signing in is not a change: a key there would only store a token.
UNKEYED_PATHS = frozenset({"/auth/token"})


def _seed(request: Request) -> str | None:
    seed: str | None = getattr(request.state, "idempotency_seed", None)
    return seed


def is_keyed(request: Request) -> bool:
    """The request came with an Idempotency-Key: what it makes may exist from a first attempt."""
    return _seed(request) is not None


def new_id(request: Request, purpose: str = "record") -> uuid.UUID:
    """The id of the record a request creates: random, or derived from its key."""
    seed = _seed(request)
    return derived_id(seed, purpose) if seed else uuid.uuid4()


def step_id(request: Request) -> uuid.UUID | None:
    """The step (and Temporal update) id of a keyed transition; None lets the workflow pick."""
    seed = _seed(request)
    return derived_id(seed, "step") if seed else None


def update_id(request: Request) -> str | None:
    """The Temporal update id of a keyed request: Temporal answers a repeat with the first
    update's outcome."""
    keyed = step_id(request)
    return str(keyed) if keyed else None


def caller_of(settings: Settings, headers: Headers) -> str | None:
    """Whose keys these are; None when the request names no valid caller (the route says 401)."""
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        try:
            return f"user:{security.token_subject(settings, authorization[7:].strip()).user_id}"
        except Unauthenticated:
            return None
    if api_key := headers.get("x-api-key"):
        return f"key:{security.api_key_hash(api_key)}"
    return None


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, engine: Engine) -> None:
        self.app = app
        self.settings = settings
        self.engine = engine
        self._purged_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] in UNKEYED_PATHS:
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        if key is None:
            return await self.app(scope, receive, send)
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            return await _send_json(
                send,
                422,
                {"detail": [_header_error(f"1 to {MAX_KEY_LENGTH} printable characters")]},
            )
        caller = caller_of(self.settings, headers)
        if caller is None:
            return await self.app(scope, receive, send)
        body, replay_body = await _read_body(receive)
        printed = fingerprint(
            scope["method"], scope["path"], scope.get("query_string", b"").decode(), body
        )
        decision, row = await run_in_threadpool(self._claim, caller, key, printed)
        if decision is Claim.replay and row is not None:
            return await _send(
                send,
                row.status_code or 200,
                row.body or b"",
                row.content_type or "application/json",
                replayed=True,
            )
        if decision is Claim.mismatch:
            return await _send_json(
                send,
                422,
                {"detail": [_header_error("was sent before with another request; use a new key")]},
            )
        if decision is Claim.in_progress:
            return await _send_json(
                send,
                409,
                {
                    "detail": {
                        "message": "a request with this Idempotency-Key is still running",
                        "rule": "idempotency_key_in_use",
                    }
                },
                {"retry-after": "1"},
            )
        # The request's fingerprint is in the seed: a key sent again once it expired, with
        # another request, names other records and another step.
        scope.setdefault("state", {})["idempotency_seed"] = f"{caller}\x00{key}\x00{printed}"
        await self._run(scope, replay_body, send, caller, key)

    async def _run(self, scope: Scope, receive: Receive, send: Send, caller: str, key: str) -> None:
        answer: dict[str, Any] = {"status": 500, "content_type": "", "body": bytearray()}
        released = False

        async def capture(message: Message) -> None:
            nonlocal released
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["content_type"] = Headers(raw=message.get("headers", [])).get(
                    "content-type", ""
                )
                if _retryable(answer["status"]):
                    # Released before the client hears it, so its retry is never told the
                    # first attempt is still running.
                    await run_in_threadpool(self._session, idempotency.release, caller, key)
                    released = True
            elif message["type"] == "http.response.body":
                answer["body"].extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            if not released:
                await run_in_threadpool(self._session, idempotency.release, caller, key)
            raise
        status = answer["status"]
        if _retryable(status):
            if not released:
                await run_in_threadpool(self._session, idempotency.release, caller, key)
        else:
            await run_in_threadpool(
                self._session,
                idempotency.answer,
                caller,
                key,
                status,
                answer["content_type"],
                bytes(answer["body"]),
            )

    def _claim(self, caller: str, key: str, printed: str) -> Any:
        now = utcnow()
        keep_for = self.settings.idempotency_keys_kept
        with Session(self.engine) as session:
            if time.monotonic() - self._purged_at > PURGE_EVERY_SECONDS:
                self._purged_at = time.monotonic()
                idempotency.purge(session, now - keep_for)
            return idempotency.claim(session, caller, key, printed, now, keep_for, UNANSWERED_AFTER)

    def _session(self, work: Any, *args: Any) -> None:
        with Session(self.engine) as session:
            work(session, *args)


def _header_error(message: str) -> dict[str, Any]:
    return {"loc": ["header", "Idempotency-Key"], "msg": message, "type": "value_error"}


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body (to fingerprint it), and a `receive` that hands it to the route."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # a disconnect, when the client goes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


async def _send(
    send: Send, status: int, body: bytes, content_type: str, replayed: bool = False,
    extra: dict[str, str] | None = None,
) -> None:  # fmt: skip
    headers = [(b"content-type", content_type.encode()), (b"content-length", b"%d" % len(body))]
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_json(
    send: Send, status: int, content: Any, extra: dict[str, str] | None = None
) -> None:
    await _send(send, status, json.dumps(content).encode(), "application/json", extra=extra)


def _retryable(status: int) -> bool:
    """A retry may fix it (Temporal back, a token renewed): it runs again, with the same ids."""
    return status >= 500 or status == 401
