"""What a request with an Idempotency-Key does, given what the key already holds."""

from datetime import UTC, datetime, timedelta

from models.idempotency import Claim, IdempotencyKey, claim_decision, derived_id, fingerprint

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
RUNNING = timedelta(minutes=2)


def stored(claimed_ago: timedelta, answered: bool, printed: str = "same") -> IdempotencyKey:
    return IdempotencyKey(
        scope="user:1",
        key="k",
        fingerprint=printed,
        claimed_at=NOW - claimed_ago,
        status_code=201 if answered else None,
    )


def decide(existing: IdempotencyKey | None, printed: str = "same") -> Claim:
    return claim_decision(existing, printed, NOW, DAY, RUNNING)


def test_a_new_key_runs_its_request() -> None:
    assert decide(None) is Claim.run


def test_an_answered_key_replays_its_answer() -> None:
    assert decide(stored(timedelta(hours=23), answered=True)) is Claim.replay


def test_a_key_sent_with_another_request_is_a_mismatch() -> None:
    assert decide(stored(timedelta(minutes=1), answered=True, printed="other")) is Claim.mismatch
    assert decide(stored(timedelta(seconds=1), answered=False, printed="other")) is Claim.mismatch


def test_a_key_whose_request_still_runs_is_in_progress() -> None:
    assert decide(stored(timedelta(seconds=30), answered=False)) is Claim.in_progress


def test_a_key_whose_request_died_runs_again() -> None:
    assert decide(stored(RUNNING, answered=False)) is Claim.run


def test_a_key_past_its_keeping_time_runs_again_whatever_it_held() -> None:
    assert decide(stored(DAY, answered=True)) is Claim.run
    assert decide(stored(DAY, answered=True, printed="other")) is Claim.run


def test_the_fingerprint_tells_bodies_targets_and_methods_apart() -> None:
    base = fingerprint("POST", "/leads", "", b'{"topic":"a"}')

    assert base == fingerprint("POST", "/leads", "", b'{"topic":"a"}')
    assert base != fingerprint("POST", "/leads", "", b'{"topic":"b"}')
    assert base != fingerprint("POST", "/accounts", "", b'{"topic":"a"}')
    assert base != fingerprint("POST", "/leads", "x=1", b'{"topic":"a"}')
    # Parts are length-prefixed: moving a byte from one part to the next is another request.
    assert fingerprint("POST", "/a", "b", b"") != fingerprint("POST", "/ab", "", b"")


def test_a_key_names_the_same_ids_every_time_and_other_keys_others() -> None:
    assert derived_id("user:1\x00k", "record") == derived_id("user:1\x00k", "record")
    assert derived_id("user:1\x00k", "record") != derived_id("user:1\x00k", "step")
    assert derived_id("user:1\x00k", "record") != derived_id("user:2\x00k", "record")
