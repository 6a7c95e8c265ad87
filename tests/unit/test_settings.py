"""Settings read from the environment as an operator writes them."""

from datetime import timedelta

import pytest

from core.settings import Settings


@pytest.mark.parametrize(
    ("written", "meant"),
    [("60", timedelta(minutes=1)), ("PT1M", timedelta(minutes=1)), ("P3D", timedelta(days=3))],
)
def test_reminder_durations_are_seconds_or_iso_8601(
    monkeypatch: pytest.MonkeyPatch, written: str, meant: timedelta
) -> None:
    monkeypatch.setenv("DEALFLOW_LEAD_FOLLOW_UP_AFTER", written)
    assert Settings().reminder_policy.lead_follow_up_after == meant


def test_the_database_defaults_to_a_sqlite_file_in_the_data_folder(tmp_path: object) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path}/dealflow.db"
