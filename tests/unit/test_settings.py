"""Settings read from the environment as an operator writes them."""

from datetime import timedelta

import pytest

from core.settings import DEFAULT_STUCK_IDLE_AFTER, Settings
from models.deal.state import Stage


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


def test_a_stages_idle_threshold_is_set_alone_the_others_keep_their_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEALFLOW_STUCK_IDLE_AFTER", '{"Propose": "P3D", "Close": "3600"}')
    thresholds = Settings().stuck_idle_after
    assert thresholds[Stage.propose] == timedelta(days=3)
    assert thresholds[Stage.close] == timedelta(hours=1)
    assert thresholds[Stage.qualify] == DEFAULT_STUCK_IDLE_AFTER[Stage.qualify]


def test_an_idle_threshold_of_nothing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALFLOW_STUCK_IDLE_AFTER", '{"Qualify": 0}')
    with pytest.raises(ValueError, match="positive"):
        Settings()
