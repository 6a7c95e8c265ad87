"""The deal's activities: one per transition, each one database transaction, idempotent."""

from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session
from temporalio import activity

from core.failures import to_failure
from models.deal import DealState
from models.deal_actions import ACTIONS
from models.deal_command import DealStart
from models.errors import DomainError
from models.transition import TransitionRequest, TransitionResult
from services.deal_state import load_state
from services.deal_writes import apply_transition


class DealActivities:
    """Bound to the database they write to; the worker registers `all()`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def load_deal(self, start: DealStart) -> DealState:
        """Where a deal's workflow run starts: its records as they are in the database."""
        with Session(self._engine) as session:
            return load_state(session, start.deal_id)

    def transition(self, request: TransitionRequest) -> TransitionResult:
        with Session(self._engine) as session:
            try:
                return apply_transition(session, request)
            except DomainError as error:
                # A rule that only the database could check: refuse now, a retry would not help.
                raise to_failure(error) from error

    def all(self) -> list[Callable[..., object]]:
        """`load_deal`, and `transition` under each action's name, so the history reads
        `accept`, `invoice`, `pay` rather than one generic activity."""
        named = [activity.defn(name=action)(self._transition_fn()) for action in ACTIONS]
        return [activity.defn(name="load_deal")(self._load_fn()), *named]

    def _transition_fn(self) -> Callable[[TransitionRequest], TransitionResult]:
        def transition(request: TransitionRequest) -> TransitionResult:
            return self.transition(request)

        return transition

    def _load_fn(self) -> Callable[[DealStart], DealState]:
        def load_deal(start: DealStart) -> DealState:
            return self.load_deal(start)

        return load_deal
