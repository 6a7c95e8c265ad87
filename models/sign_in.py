"""Sign-in lockout: after too many wrong passwords for one email, that email waits a while.

Counted per email as typed (normalized), whether or not a user has it, so a lockout tells nobody
which emails exist. A right password resets the count; so does a quiet spell as long as a lockout.
"""

from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from sqlmodel import Field as Column
from sqlmodel import SQLModel

from models.base import UTCDateTime


class SignInPolicy(BaseModel, frozen=True):
    max_failures: int = Field(default=5, gt=0)
    lockout: timedelta = timedelta(minutes=15)


class SignInFailures(SQLModel, table=True):
    __tablename__ = "sign_in_failures"

    email: str = Column(primary_key=True, max_length=100)
    failures: int = 0
    last_failure_at: datetime = Column(sa_type=UTCDateTime)
    locked_until: datetime | None = Column(default=None, sa_type=UTCDateTime)


def locked_for(record: SignInFailures | None, now: datetime) -> timedelta | None:
    """How long this email must still wait before it may try again (None: it may now)."""
    if record is None or record.locked_until is None or record.locked_until <= now:
        return None
    return record.locked_until - now


def count_failure(
    record: SignInFailures | None, email: str, now: datetime, policy: SignInPolicy
) -> SignInFailures:
    """The record after one more wrong password: locked once it reaches the policy's limit."""
    if record is None:
        record = SignInFailures(email=email, last_failure_at=now)
    elif now - record.last_failure_at >= policy.lockout:  # a lockout served, or a quiet spell
        record.failures, record.locked_until = 0, None
    record.failures += 1
    record.last_failure_at = now
    if record.failures >= policy.max_failures:
        record.locked_until = now + policy.lockout
    return record
