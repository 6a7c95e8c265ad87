"""Domain errors across Temporal's boundary: raised in a validator, activity or update handler,
they travel as an `ApplicationError` whose type and details let the API raise them again."""

from typing import Any

from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ActivityError, ApplicationError

from models.errors import Conflict, DomainError, IllegalTransition, InvalidField, NotFound


def to_failure(error: DomainError) -> ApplicationError:
    details: dict[str, Any] = {k: v for k, v in vars(error).items() if not k.startswith("_")}
    return ApplicationError(str(error), details, type=type(error).__name__, non_retryable=True)


_TYPES: dict[str, type[DomainError]] = {
    cls.__name__: cls for cls in (NotFound, InvalidField, Conflict, IllegalTransition)
}


def domain_error_of(failure: BaseException) -> DomainError | None:
    """The domain error carried by a failed update or activity, if it carries one."""
    cause: BaseException | None = failure
    while isinstance(cause, WorkflowUpdateFailedError | ActivityError):
        cause = cause.cause
    if not isinstance(cause, ApplicationError) or cause.type not in _TYPES:
        return None
    details = cause.details[0] if cause.details else {}
    cls = _TYPES[cause.type]
    if cls is NotFound:
        return NotFound(details["record"], details["record_id"])
    if cls is InvalidField:
        return InvalidField(details["field"], details["message"], details.get("location", "body"))
    if cls is Conflict:
        return Conflict(details["rule"], details["message"], details.get("field"))
    return IllegalTransition(
        details["record"], details["state"], details["action"], details["rule"]
    )
