"""The sign-in lockout's counting, without a database."""

from datetime import UTC, datetime, timedelta

from models.sign_in import SignInPolicy, count_failure, locked_for

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
POLICY = SignInPolicy(max_failures=3, lockout=timedelta(minutes=15))


def test_the_limit_th_failure_in_a_row_locks_the_email_for_the_lockout() -> None:
    record = None
    for minute in range(2):
        record = count_failure(record, "nora@example.com", NOW + timedelta(minutes=minute), POLICY)
        assert locked_for(record, NOW + timedelta(minutes=minute)) is None
    record = count_failure(record, "nora@example.com", NOW + timedelta(minutes=2), POLICY)
    assert record.failures == 3
    assert locked_for(record, NOW + timedelta(minutes=2)) == timedelta(minutes=15)
    assert locked_for(record, NOW + timedelta(minutes=16)) == timedelta(minutes=1)
    assert locked_for(record, NOW + timedelta(minutes=17)) is None


def test_a_failure_after_a_served_lockout_or_a_quiet_spell_counts_from_one() -> None:
    record = None
    for minute in range(3):
        record = count_failure(record, "nora@example.com", NOW + timedelta(minutes=minute), POLICY)
    served = count_failure(record, "nora@example.com", NOW + timedelta(minutes=17), POLICY)
    assert (served.failures, served.locked_until) == (1, None)

    quiet = count_failure(None, "ana@example.com", NOW, POLICY)
    quiet = count_failure(quiet, "ana@example.com", NOW + timedelta(minutes=15), POLICY)
    assert quiet.failures == 1


def test_failures_spread_inside_the_lockout_still_add_up() -> None:
    record = None
    for minute in (0, 10, 20):
        record = count_failure(record, "nora@example.com", NOW + timedelta(minutes=minute), POLICY)
    assert record is not None and record.failures == 3
    assert locked_for(record, NOW + timedelta(minutes=20)) == timedelta(minutes=15)
