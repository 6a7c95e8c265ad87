"""One settings object, read from `DEALFLOW_*` environment variables and an optional `.env`."""

from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.deal.state import Stage
from models.permissions import DEFAULT_OVERRIDE_ROLES, PricePolicy
from models.reminders import ReminderPolicy
from models.sign_in import SignInPolicy
from models.user import Role

# Development only: the API refuses to start with it in production.
DEFAULT_JWT_SECRET = "dealflow-development-secret-do-not-use-in-production"
# How long a running deal may go without a transition in each stage before ops see it as stuck.
DEFAULT_STUCK_IDLE_AFTER = {
    Stage.qualify: timedelta(days=7),
    Stage.develop: timedelta(days=14),
    Stage.propose: timedelta(days=14),
    Stage.close: timedelta(days=14),
    Stage.fulfill: timedelta(days=30),
}
# What `make run` signs in with on a fresh data folder (README, launcher banner).
DEV_ADMIN_EMAIL = "admin@dealflow.local"
DEV_ADMIN_PASSWORD = "dealflow-admin"
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DEALFLOW_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path(".data")
    # Empty means a SQLite file in the data folder, so a fresh checkout needs no database server.
    database_url: str = ""

    temporal_address: str = "localhost:7233"
    temporal_namespace: str = "default"
    temporal_ui_port: int = 8233
    # Where the console links a deal's workflow; empty: the dev server's UI on its port.
    temporal_ui_url: str = ""
    # A production cluster or Temporal Cloud: TLS (on with any of these; the server's CA, and
    # for mutual TLS the client's certificate and key, as PEM files), or an API key (TLS on).
    temporal_tls: bool = False
    temporal_tls_server_ca_cert: Path | None = None
    temporal_tls_client_cert: Path | None = None
    temporal_tls_client_key: Path | None = None
    temporal_tls_server_name: str | None = None
    temporal_api_key: SecretStr | None = None
    task_queue: str = "dealflow"
    # Start the bundled Temporal dev server with `make run`; off when pointing at a real cluster.
    temporal_dev_server: bool = True
    worker_activity_threads: int = 16
    # Deals kept in the worker's memory between transitions (~175 KB each); past that, the least
    # recently used replays its history when it next wakes. Bounds the worker's memory however
    # many deals wait on timers.
    worker_max_cached_deals: int = 500
    worker_shutdown_grace_seconds: float = 10.0
    # Run workflow code in Temporal's sandbox, which re-imports the workflow module for each deal
    # and refuses non-deterministic calls (the clock, randomness, I/O) at run time. It costs
    # about a fifth of the worker's CPU, so the worker runs without it; the test suite and the
    # replay of recorded histories always run with it, so such a call fails there first.
    worker_sandbox: bool = False

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # How long a transition waits for Temporal and a worker before the API answers 503 with
    # Retry-After: with no worker polling, Temporal would hold it until one comes back.
    transition_timeout_seconds: float = Field(default=10.0, gt=0)
    # How long the API waits for a locked database (SQLite's busy timeout, PostgreSQL's
    # lock_timeout and connect timeout) before answering 503 with Retry-After.
    database_busy_timeout_seconds: float = Field(default=3.0, gt=0)
    # The largest request body the API reads (bytes); a larger one is answered 413 unread.
    max_request_bytes: int = Field(default=1_048_576, ge=1)
    # A sales literature attachment's largest file; its upload may be this large (plus the
    # multipart envelope), above the request limit.
    max_attachment_bytes: int = Field(default=10_485_760, ge=1)
    # How long the API remembers who a token or API key is (0: not at all). Changes made through
    # this API process apply at once; through another API process, within this many seconds.
    principal_cache_seconds: float = Field(default=5.0, ge=0)
    # How long a request's Idempotency-Key and its answer are kept (seconds or ISO 8601): a
    # retry with the same key within this time answers the first result and changes nothing.
    idempotency_keys_kept: timedelta = Field(default=timedelta(hours=24), gt=timedelta(0))

    # Deal reminders: seconds or ISO 8601 durations (P3D), overridable per deal.
    lead_follow_up_after: timedelta = timedelta(days=3)
    lead_follow_up_repeats: int = 3
    quote_follow_up_after: timedelta = timedelta(days=7)
    invoice_reminder_after: timedelta = timedelta(0)

    # The organisation's time zone: a deal won or lost is closed on its date there, so goal
    # periods (whole days) begin and end at its midnight. An IANA name, e.g. Europe/Paris.
    org_timezone: str = "UTC"
    # The month the fiscal year begins in (1: the calendar year); fiscal quarters follow it.
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    # How often the worker's Temporal Schedule works out every goal's figures again.
    goal_recalculation_minutes: int = Field(default=15, ge=1, le=10_080)

    # Leaving a stage (qualify, the first quote, activate, accept, win) needs the stage's
    # required process steps done. Off by default, as Dynamics' Qualify does not check them.
    enforce_process_steps: bool = False
    # A lead whose follow-ups all went unanswered is escalated to its owner's manager (a task
    # and a notification); with this, the deal is also handed to that manager, who leads the
    # team (dealflow has no queues).
    escalation_hands_off: bool = False

    # GET /deals/stuck: a running deal idle in a stage past its threshold. A JSON object of
    # stages to seconds or ISO 8601 durations; those not named keep their default.
    stuck_idle_after: dict[Stage, timedelta] = Field(
        default_factory=lambda: dict(DEFAULT_STUCK_IDLE_AFTER)
    )
    # Who holds the override_price privilege: overriding a price-list price on a line, or giving
    # a manual discount above manual_discount_limit_percent of its price x quantity. JSON list.
    price_override_roles: frozenset[Role] = DEFAULT_OVERRIDE_ROLES
    manual_discount_limit_percent: Decimal = Field(default=Decimal(10), ge=0, le=100)

    # A deal's workflow continues as new past this many history events.
    deal_history_limit: int = 5000

    # Where reminders are delivered; each channel is off until configured.
    notify_webhook_url: str | None = None
    notify_email_to: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_from: str = "dealflow@localhost"

    # Prometheus: the worker's Temporal SDK and business metrics on this port (0: none); the
    # API serves its own at /metrics, its deal gauges worked out at most this often.
    worker_metrics_host: str = "127.0.0.1"
    worker_metrics_port: int = Field(default=9464, ge=0, le=65535)
    metrics_refresh_seconds: float = Field(default=30.0, ge=0)

    log_level: str = "INFO"
    log_json: bool = False

    # Production unless said otherwise, so a forgotten setting fails closed.
    env: Literal["development", "production"] = "production"
    jwt_secret: SecretStr = SecretStr(DEFAULT_JWT_SECRET)
    token_ttl_seconds: int = Field(default=3600, gt=0)
    # This many wrong passwords in a row for one email lock it for the lockout (seconds or ISO).
    sign_in_max_failures: int = Field(default=5, gt=0)
    sign_in_lockout: timedelta = timedelta(minutes=15)
    # The first admin, created at start when no user exists yet.
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    # The console's session and CSRF cookies are Secure (sent over HTTPS only); `make run` turns
    # it off, as it serves plain HTTP on loopback.
    console_secure_cookies: bool = True

    @field_validator(
        "lead_follow_up_after",
        "quote_follow_up_after",
        "invoice_reminder_after",
        "sign_in_lockout",
        "idempotency_keys_kept",
        mode="before",
    )
    @classmethod
    def _seconds_or_iso_duration(cls, value: object) -> object:
        """`60` in the environment means 60 seconds; `P3D` and `PT1M` are ISO 8601."""
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return value
        return value

    @field_validator("stuck_idle_after", mode="before")
    @classmethod
    def _idle_thresholds(cls, value: object) -> object:
        if isinstance(value, dict):
            given = {
                k: float(v) if isinstance(v, str) and v.replace(".", "", 1).isdigit() else v
                for k, v in value.items()
            }
            return {**{k.value: v for k, v in DEFAULT_STUCK_IDLE_AFTER.items()}, **given}
        return value

    @field_validator("stuck_idle_after")
    @classmethod
    def _positive_thresholds(cls, value: dict[Stage, timedelta]) -> dict[Stage, timedelta]:
        if any(after <= timedelta(0) for after in value.values()):
            raise ValueError("every threshold must be positive")
        return value

    @field_validator("org_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a known time zone (IANA name)") from None
        return value

    @model_validator(mode="after")
    def _default_database_url(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'dealflow.db').as_posix()}"
        return self

    def insecure_reasons(self) -> list[str]:
        """Why this configuration must not serve requests in production (empty: it may)."""
        if self.env == "development":
            return []
        reasons = []
        secret = self.jwt_secret.get_secret_value()
        if secret == DEFAULT_JWT_SECRET:
            reasons.append("DEALFLOW_JWT_SECRET is the development default")
        elif len(secret) < MIN_SECRET_LENGTH:
            reasons.append(f"DEALFLOW_JWT_SECRET is shorter than {MIN_SECRET_LENGTH} characters")
        if self.admin_password and self.admin_password.get_secret_value() == DEV_ADMIN_PASSWORD:
            reasons.append("DEALFLOW_ADMIN_PASSWORD is the documented development default")
        return reasons

    @property
    def reminder_policy(self) -> ReminderPolicy:
        return ReminderPolicy(
            lead_follow_up_after=self.lead_follow_up_after,
            lead_follow_up_repeats=self.lead_follow_up_repeats,
            quote_follow_up_after=self.quote_follow_up_after,
            invoice_reminder_after=self.invoice_reminder_after,
        )

    @property
    def sign_in_policy(self) -> SignInPolicy:
        return SignInPolicy(max_failures=self.sign_in_max_failures, lockout=self.sign_in_lockout)

    @property
    def price_policy(self) -> PricePolicy:
        return PricePolicy(self.price_override_roles, self.manual_discount_limit_percent)

    @property
    def org_zone(self) -> ZoneInfo:
        return ZoneInfo(self.org_timezone)

    @property
    def temporal_port(self) -> int:
        return int(self.temporal_address.rsplit(":", 1)[1])

    @property
    def temporal_host(self) -> str:
        return self.temporal_address.rsplit(":", 1)[0]

    @property
    def temporal_ui(self) -> str:
        return (self.temporal_ui_url or f"http://localhost:{self.temporal_ui_port}").rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()
