"""Reminder delays in JSON: ISO 8601 in days and time, never years, so what the API answers is
a valid `duration` (RFC 3339) and reads back to the same delay."""

from datetime import timedelta

import pytest

from models.reminders import ReminderPolicy, iso_duration


@pytest.mark.parametrize(
    ("delay", "written"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(days=3), "P3D"),
        (timedelta(days=1372), "P1372D"),  # pydantic alone writes P3Y277D
        (timedelta(days=400, seconds=5.5), "P400DT5.5S"),
        (timedelta(hours=2), "PT2H"),
        (timedelta(seconds=90061), "P1DT1H1M1S"),
        (timedelta(milliseconds=250), "PT0.25S"),
    ],
)
def test_a_delay_is_written_in_days_and_time_and_reads_back(delay: timedelta, written: str) -> None:
    assert iso_duration(delay) == written
    policy = ReminderPolicy(quote_follow_up_after=delay or timedelta(days=7))
    assert ReminderPolicy.model_validate_json(policy.model_dump_json()) == policy


def test_a_policys_delays_are_bounded() -> None:
    with pytest.raises(ValueError):
        ReminderPolicy(lead_follow_up_after=timedelta(0))
    with pytest.raises(ValueError):
        ReminderPolicy(quote_follow_up_after=timedelta(days=3654))
    with pytest.raises(ValueError):
        ReminderPolicy(invoice_reminder_after=timedelta(seconds=-1))
