"""The console calls the API in-process, as the signed-in person, through the app itself: every
rule, permission, idempotency key and error message is the API's own, none copied here."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Request

from console.session import VisitorDep

# Never sent anywhere: the transport hands each request straight to the app.
BASE_URL = "http://dealflow.internal"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def message(self) -> str:
        """What went wrong, as the API said it: a 409's rule, a 422's fields."""
        detail = self.body.get("detail") if isinstance(self.body, dict) else None
        if isinstance(detail, dict):
            return str(detail.get("message") or detail.get("rule") or detail)
        if isinstance(detail, list):
            return "; ".join(
                f"{'.'.join(str(p) for p in item.get('loc', [])[1:])}: {item.get('msg')}"
                for item in detail
            )
        return str(detail or self.body)


class Api:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(
        self,
        method: str,
        path: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Answer:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = await self.client.request(
            method, path, json=json, params=params, headers=headers
        )
        body = response.json() if response.content else None
        return Answer(response.status_code, body)

    async def get(self, path: str, **params: Any) -> Answer:
        return await self.call("GET", path, params={k: v for k, v in params.items() if v})

    async def data(self, path: str, **params: Any) -> Any:
        """A read that must succeed (a page cannot be drawn without it)."""
        answer = await self.get(path, **params)
        if not answer.ok:
            raise ApiRefused(answer)
        return answer.body

    async def post(self, path: str, body: Any = None, idempotency_key: str | None = None) -> Answer:
        return await self.call("POST", path, json=body, idempotency_key=idempotency_key)


class ApiRefused(Exception):
    """A read a page needs was refused (a deal not found, not the caller's): shown as it is."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        super().__init__(answer.message)


@asynccontextmanager
async def api_client(app: FastAPI, token: str | None) -> AsyncIterator[Api]:
    """As the person `token` names; no token: anonymous (signing in)."""
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=headers) as c:
        yield Api(c)


async def visitor_api(request: Request, visitor: VisitorDep) -> AsyncIterator[Api]:
    """The signed-in person's API, for one console request."""
    async with api_client(request.app, visitor.token) as api:
        yield api


ApiDep = Annotated[Api, Depends(visitor_api)]
