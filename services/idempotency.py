"""The stored idempotency keys: claim one for a request, keep its answer, forget it."""

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, update

from models.idempotency import Claim, IdempotencyKey, claim_decision


def claim(
    session: Session,
    scope: str,
    key: str,
    fingerprint: str,
    now: datetime,
    keep_for: timedelta,
    running_for_at_most: timedelta,
) -> tuple[Claim, IdempotencyKey | None]:
    """Claim `key` for a request, or say why not. Two requests racing for one key: the
    primary key lets one insert; the other reads the winner's row (in progress)."""
    for _ in range(3):
        existing = session.get(IdempotencyKey, (scope, key))
        decision = claim_decision(existing, fingerprint, now, keep_for, running_for_at_most)
        if decision is not Claim.run:
            return decision, existing
        if existing is None:
            session.add(
                IdempotencyKey(scope=scope, key=key, fingerprint=fingerprint, claimed_at=now)
            )
            try:
                session.commit()
                return Claim.run, None
            except IntegrityError:
                session.rollback()
                continue
        # Expired, or its request died: take it over, unless another retry just did.
        taken = session.execute(
            update(IdempotencyKey)
            .where(
                col(IdempotencyKey.scope) == scope,
                col(IdempotencyKey.key) == key,
                col(IdempotencyKey.claimed_at) == existing.claimed_at,
            )
            .values(
                fingerprint=fingerprint,
                claimed_at=now,
                status_code=None,
                content_type=None,
                body=None,
            )
        )
        session.commit()
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return Claim.run, None
        session.expire_all()
    return Claim.in_progress, None


def answer(
    session: Session, scope: str, key: str, status_code: int, content_type: str, body: bytes
) -> None:
    session.execute(
        update(IdempotencyKey)
        .where(col(IdempotencyKey.scope) == scope, col(IdempotencyKey.key) == key)
        .values(status_code=status_code, content_type=content_type, body=body)
    )
    session.commit()


def release(session: Session, scope: str, key: str) -> None:
    """The request failed in a way a retry may fix (a 5xx): the retry runs it again."""
    session.execute(
        delete(IdempotencyKey).where(
            col(IdempotencyKey.scope) == scope, col(IdempotencyKey.key) == key
        )
    )
    session.commit()


def purge(session: Session, older_than: datetime) -> int:
    deleted = session.execute(
        delete(IdempotencyKey).where(col(IdempotencyKey.claimed_at) < older_than)
    )
    session.commit()
    return int(deleted.rowcount)  # type: ignore[attr-defined]
