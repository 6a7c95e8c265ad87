"""Who is calling, remembered for a few seconds: most requests then sign nobody in again.

Signing a caller in checks their token's signature, reads their user and the teams they manage;
a client making many calls in a row would pay that on each. The cache keeps the result for
`principal_cache_seconds`, never past the token's expiry. Any change
this process makes to a user, a team or an API key (a deactivation, a new role, a revocation)
empties every cache at once, when it is flushed to the database; another API process notices
such a change when its own entry ages out, within those seconds. 0 turns the cache off.
"""

import time
import weakref
from collections.abc import Hashable
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from models.permissions import Principal
from models.user import ApiKey, Team, User

CREDENTIAL_RECORDS = (User, Team, ApiKey)


class PrincipalCache:
    def __init__(self, seconds: float, size: int = 10_000) -> None:
        self._seconds = seconds
        self._size = size
        self._entries: dict[Hashable, tuple[float, Principal]] = {}
        _CACHES.add(self)

    def get(self, key: Hashable) -> Principal | None:
        found = self._entries.get(key)
        if found is None:
            return None
        expires, principal = found
        if time.monotonic() >= expires:
            self._entries.pop(key, None)
            return None
        return principal

    def put(self, key: Hashable, principal: Principal, until: float | None = None) -> None:
        """Remember `principal` for the cache's seconds, and never past `until` (seconds since
        the epoch: when the token it was signed in with expires)."""
        seconds = self._seconds if until is None else min(self._seconds, until - time.time())
        if seconds <= 0:
            return
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + seconds, principal)

    def clear(self) -> None:
        self._entries.clear()


_CACHES: "weakref.WeakSet[PrincipalCache]" = weakref.WeakSet()


@event.listens_for(Session, "after_flush")
def _forget_changed_credentials(session: Session, _context: Any) -> None:
    """A user, team or API key changed (or was created or deleted): forget every principal."""
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(record, CREDENTIAL_RECORDS) for record in changed):
        for cache in list(_CACHES):
            cache.clear()
