"""Where reminders are delivered: a webhook (JSON POST) and email over SMTP, both optional."""

from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import httpx
import structlog

from core.settings import Settings
from models.notification import Notification

log = structlog.get_logger()


class Notifier(Protocol):
    async def send(self, notification: Notification) -> None: ...


class WebhookNotifier:
    """POSTs the notification as JSON; any non-2xx answer raises, so the activity retries."""

    def __init__(self, url: str, timeout_seconds: float = 10.0) -> None:
        self._url = url
        self._timeout = timeout_seconds

    async def send(self, notification: Notification) -> None:
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            response = await client.post(self._url, json=notification.model_dump(mode="json"))
            response.raise_for_status()


class EmailNotifier:
    """Mails the deal's owner; DEALFLOW_NOTIFY_EMAIL_TO when the owner has no email (or always,
    if set: a shared sales inbox)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send(self, notification: Notification) -> None:
        settings = self._settings
        recipients = [r for r in (notification.owner_email, settings.notify_email_to) if r]
        if not recipients:
            log.info("reminder not mailed: no recipient", deal_id=notification.deal_id)
            return
        message = EmailMessage()
        message["From"] = settings.smtp_from
        message["To"] = ", ".join(dict.fromkeys(recipients))
        message["Subject"] = f"[dealflow] {notification.subject}"
        message.set_content(
            "\n".join(
                [
                    notification.subject,
                    "",
                    f"Deal:   {notification.deal_id}",
                    f"Record: {notification.record} {notification.record_id or ''}".rstrip(),
                    f"Due:    {notification.due_at.isoformat()}",
                ]
            )
        )
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            start_tls=settings.smtp_starttls,
            timeout=10,
        )


class Notifiers:
    """The configured channels by name; none configured means none sent."""

    def __init__(self, channels: dict[str, Notifier]) -> None:
        self.channels = channels

    @classmethod
    def from_settings(cls, settings: Settings) -> "Notifiers":
        channels: dict[str, Notifier] = {}
        if settings.notify_webhook_url:
            channels["webhook"] = WebhookNotifier(settings.notify_webhook_url)
        if settings.smtp_host:
            channels["email"] = EmailNotifier(settings)
        return cls(channels)

    async def send(self, notification: Notification) -> None:
        """Every channel in turn: what runs that began before one activity per channel use."""
        for channel in self.channels.values():
            await channel.send(notification)
