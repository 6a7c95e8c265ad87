"""Reminders reach people: a real HTTP receiver and a real SMTP server, both on loopback."""

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from activities.notify import EmailNotifier, Notifiers, WebhookNotifier
from core.settings import Settings
from models.notification import Notification

NOTIFICATION = Notification(
    deal_id="deal-1",
    kind="lead_follow_up",
    subject="Follow up the lead (1 of 3)",
    owner_id=None,
    record="lead",
    record_id=None,
    due_at=datetime(2026, 11, 26, 9, tzinfo=UTC),
)


class Receiver(BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]]
    status = 204

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.bodies.append(json.loads(self.rfile.read(length)))  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    server.bodies = []  # type: ignore[attr-defined]
    server.status = 204  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def url_of(server: HTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/hooks/dealflow"


async def test_the_webhook_receives_the_notification_as_json(webhook: HTTPServer) -> None:
    await WebhookNotifier(url_of(webhook)).send(NOTIFICATION)
    assert webhook.bodies == [NOTIFICATION.model_dump(mode="json")]  # type: ignore[attr-defined]


async def test_a_failing_webhook_raises_so_the_activity_retries(webhook: HTTPServer) -> None:
    webhook.status = 503  # type: ignore[attr-defined]
    with pytest.raises(httpx.HTTPStatusError):
        await WebhookNotifier(url_of(webhook)).send(NOTIFICATION)


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


async def test_the_owner_gets_an_email_over_smtp() -> None:
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port: aiosmtpd cannot start on port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = Settings(
            smtp_host="127.0.0.1", smtp_port=port, notify_email_to="sales@example.com"
        )
        owned = NOTIFICATION.model_copy(update={"owner_email": "owner@example.com"})
        await EmailNotifier(settings).send(owned)
        await asyncio.sleep(0.1)
    finally:
        controller.stop()
    (message,) = mailbox.messages
    assert message["To"] == "owner@example.com, sales@example.com"
    assert message["Subject"] == "[dealflow] Follow up the lead (1 of 3)"
    assert "deal-1" in message.get_payload()


def test_channels_are_on_only_when_configured(webhook: HTTPServer) -> None:
    assert Notifiers.from_settings(Settings()).channels == []
    both = Notifiers.from_settings(
        Settings(notify_webhook_url=url_of(webhook), smtp_host="127.0.0.1")
    )
    assert [type(c) for c in both.channels] == [WebhookNotifier, EmailNotifier]
