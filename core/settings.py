"""One settings object, read from `DEALFLOW_*` environment variables and an optional `.env`."""

from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    task_queue: str = "dealflow"
    # Start the bundled Temporal dev server with `make run`; off when pointing at a real cluster.
    temporal_dev_server: bool = True
    worker_activity_threads: int = 16
    worker_shutdown_grace_seconds: float = 10.0

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    log_level: str = "INFO"
    log_json: bool = False

    @model_validator(mode="after")
    def _default_database_url(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'dealflow.db').as_posix()}"
        return self

    @property
    def temporal_port(self) -> int:
        return int(self.temporal_address.rsplit(":", 1)[1])

    @property
    def temporal_host(self) -> str:
        return self.temporal_address.rsplit(":", 1)[0]


@lru_cache
def get_settings() -> Settings:
    return Settings()
