"""Idempotency keys (the IETF httpapi draft's `Idempotency-Key`): a client retrying a request
with the same key gets the first answer, and nothing changes twice.

A key is remembered per caller with a fingerprint of the request it came with and, once that
request finished, its answer. Which of the five cases a request meets is a plain rule
(`claim_decision`); the database only stores the rows.
"""

import hashlib
import uuid
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime

# What a key may look like: the draft asks for a string; a bound keeps rows and ids small.
MAX_KEY_LENGTH = 255
# The seed of every id a keyed request makes: the same key always names the same records.
KEY_NAMESPACE = uuid.UUID("0b6b61f2-5d0e-4b8f-9a55-6f2a1c1d7e33")


class IdempotencyKey(SQLModel, table=True):
    """One key a caller sent: the request it came with and, once answered, the answer."""

    __tablename__ = "idempotency_key"

    scope: str = Field(primary_key=True, max_length=80)
    key: str = Field(primary_key=True, max_length=MAX_KEY_LENGTH)
    fingerprint: str = Field(max_length=64)
    claimed_at: datetime = Field(sa_type=UTCDateTime, index=True)
    status_code: int | None = None
    content_type: str | None = Field(default=None, max_length=100)
    body: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


class Claim(StrEnum):
    """What a request with a key does."""

    run = "run"  # first time (or the key expired, or its request died): run it
    replay = "replay"  # answered before: send that answer again
    in_progress = "in_progress"  # the first request is still running: 409, retry shortly
    mismatch = "mismatch"  # the key came with another request: 422


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests "the same" for one key: method, target and exact body."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def claim_decision(
    existing: IdempotencyKey | None,
    fingerprint: str,
    now: datetime,
    keep_for: timedelta,
    running_for_at_most: timedelta,
) -> Claim:
    """`keep_for`: how long an answer is remembered. `running_for_at_most`: past this, a
    request still unanswered died with its process (its work, keyed by the same ids, is found
    again by the retry)."""
    if existing is None or now - existing.claimed_at >= keep_for:
        return Claim.run
    if existing.fingerprint != fingerprint:
        return Claim.mismatch
    if existing.status_code is not None:
        return Claim.replay
    if now - existing.claimed_at >= running_for_at_most:
        return Claim.run
    return Claim.in_progress


def derived_id(seed: str, purpose: str) -> uuid.UUID:
    """The id a keyed request gives the thing it makes for `purpose` (a record, a step)."""
    return uuid.uuid5(KEY_NAMESPACE, f"{seed}\x00{purpose}")
