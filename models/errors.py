"""Domain errors. Raised by rules and services; only `api/` turns them into HTTP answers."""

import math
import uuid
from datetime import timedelta


class DomainError(Exception):
    """Base of every refusal the business rules can give."""


class NotFound(DomainError):
    def __init__(self, record: str, record_id: uuid.UUID | str) -> None:
        self.record = record
        self.record_id = str(record_id)
        super().__init__(f"{record} {record_id} not found")


class InvalidField(DomainError):
    """Input that is well-formed but breaks a rule about one field (answered as 422)."""

    def __init__(self, field: str, message: str, location: str = "body") -> None:
        self.field = field
        self.message = message
        self.location = location
        super().__init__(f"{field}: {message}")


class Conflict(DomainError):
    """The request clashes with stored data: a duplicate, a cycle (answered as 409)."""

    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        self.rule = rule
        self.message = message
        self.field = field
        super().__init__(message)


class Unauthenticated(DomainError):
    """No credentials, or ones that are not valid (answered as 401), naming the rule."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        self.message = message
        super().__init__(message)


class Forbidden(DomainError):
    """The caller's security role does not allow this (answered as 403), naming the rule."""

    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        self.rule = rule
        self.message = message
        self.field = field
        super().__init__(message)


class IllegalTransition(DomainError):
    """A transition the record's current state does not allow (answered as 409)."""

    def __init__(self, record: str, state: str, action: str, rule: str) -> None:
        self.record = record
        self.state = state
        self.action = action
        self.rule = rule
        super().__init__(f"cannot {action} {record} in state {state}: {rule}")


class TooManySignIns(DomainError):
    """Too many wrong passwords for this email lately (answered as 429, with when to retry)."""

    def __init__(self, wait: timedelta) -> None:
        self.retry_after = max(1, math.ceil(wait.total_seconds()))
        super().__init__(
            f"too many failed sign-ins for this email: try again in {self.retry_after} s"
        )
