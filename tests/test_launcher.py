"""`make run` runs in development mode with the documented local admin, unless configured."""

from pathlib import Path

import pytest

from core.launcher import development_defaults
from core.settings import DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("DEALFLOW_ENV", "DEALFLOW_ADMIN_EMAIL", "DEALFLOW_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def test_make_run_defaults_to_development_with_the_documented_admin() -> None:
    assert development_defaults() == {
        "DEALFLOW_ENV": "development",
        "DEALFLOW_ADMIN_EMAIL": DEV_ADMIN_EMAIL,
        "DEALFLOW_ADMIN_PASSWORD": DEV_ADMIN_PASSWORD,
    }


def test_a_configured_admin_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALFLOW_ADMIN_PASSWORD", "my own long password")
    assert development_defaults() == {
        "DEALFLOW_ENV": "development",
        "DEALFLOW_ADMIN_EMAIL": DEV_ADMIN_EMAIL,
    }


def test_production_gets_no_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEALFLOW_ENV=production\n")
    assert development_defaults() == {}
