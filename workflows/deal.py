"""DealWorkflow: one deal, lead to paid invoice, as one durable workflow.

Every change to the deal's records is an update (or a signal of the same name) carrying a
`DealCommand`. The validator refuses illegal transitions before they reach history; the handler
checks again under the lock (handlers interleave at each await), runs the transition's activity,
and keeps the snapshot the activity read back.
"""

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy, SearchAttributeUpdate
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    import email_validator  # noqa: F401  (EmailStr validates with it; load it outside the sandbox)
    import idna  # noqa: F401
    from pydantic import ValidationError

    from core import search_attributes as attrs
    from core.failures import to_failure
    from models.deal import DealState
    from models.deal_command import DealCommand, DealStart, DealSummary, DealView, IgnoredSignal
    from models.deal_rules import check
    from models.errors import DomainError, InvalidField
    from models.transition import TransitionRequest, TransitionResult

ACTIVITY_TIMEOUT = timedelta(seconds=30)
# Database hiccups are retried a few times; a caller waiting on an update is not kept forever.
ACTIVITY_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=8,
)
IGNORED_SIGNALS_KEPT = 20


@workflow.defn
class DealWorkflow:
    def __init__(self) -> None:
        self._state: DealState | None = None
        self._lock = asyncio.Lock()
        self._ignored: list[IgnoredSignal] = []
        self._last_transition_at: datetime | None = None

    @workflow.run
    async def run(self, start: DealStart) -> DealSummary:
        self._state = await workflow.execute_activity(
            "load_deal",
            start,
            result_type=DealState,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
        )
        self._publish()
        while True:
            await workflow.wait_condition(
                lambda: self._done() or workflow.info().is_continue_as_new_suggested()
            )
            await workflow.wait_condition(workflow.all_handlers_finished)
            if self._done():
                return DealSummary(
                    deal_id=start.deal_id, stage=self._loaded.stage, outcome=self._loaded.outcome
                )
            if workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(start)

    @workflow.update(dynamic=True)
    async def transition(self, name: str, args: Sequence[RawValue]) -> TransitionResult:
        command = self._decode(name, args)
        try:
            return await self._apply(command)
        except DomainError as error:
            raise to_failure(error) from error

    @transition.validator
    def _validate(self, name: str, args: Sequence[RawValue]) -> None:
        command = self._decode(name, args)
        if self._state is not None:  # a new run checks once its records are loaded
            try:
                check(command.action, self._state, workflow.now().date())
            except DomainError as error:
                raise to_failure(error) from error

    @workflow.signal(dynamic=True)
    async def transition_signal(self, name: str, args: Sequence[RawValue]) -> None:
        """For callers that cannot wait: an invalid signal is recorded and ignored, never fatal."""
        try:
            await self._apply(self._decode(name, args))
        except (ApplicationError, DomainError) as error:
            workflow.logger.warning("ignored signal %s: %s", name, error)
            self._ignored = [
                *self._ignored[-IGNORED_SIGNALS_KEPT + 1 :],
                IgnoredSignal(name=name, reason=str(error), at=workflow.now()),
            ]

    @workflow.query
    def view(self) -> DealView:
        state = self._loaded
        return DealView(
            deal_id=state.deal_id,
            stage=state.stage,
            outcome=state.outcome,
            state=state,
            last_transition_at=self._last_transition_at,
            ignored_signals=self._ignored,
        )

    @property
    def _loaded(self) -> DealState:
        if self._state is None:
            raise ApplicationError("the deal is still loading", type="DealLoading")
        return self._state

    def _done(self) -> bool:
        return self._state is not None and self._state.is_done

    def _decode(self, name: str, args: Sequence[RawValue]) -> DealCommand:
        try:
            command = workflow.payload_converter().from_payload(args[0].payload, DealCommand)
        except (IndexError, ValidationError, ValueError) as error:
            raise to_failure(
                InvalidField("action", f"not a valid {name} command: {error}")
            ) from error
        if command.action.action != name:
            raise to_failure(InvalidField("action", f"{command.action.action} sent as {name}"))
        return command

    async def _apply(self, command: DealCommand) -> TransitionResult:
        await workflow.wait_condition(lambda: self._state is not None)
        async with self._lock:
            check(command.action, self._loaded, workflow.now().date())
            result = await workflow.execute_activity(
                command.action.action,
                TransitionRequest(
                    deal_id=self._loaded.deal_id,
                    step_id=workflow.uuid4(),
                    at=workflow.now(),
                    by=command.by,
                    action=command.action,
                ),
                result_type=TransitionResult,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
            self._state = result.state
            self._last_transition_at = workflow.now()
            self._publish()
            return result

    def _publish(self) -> None:
        """Search attributes, so ops find deals by stage, owner, account and value."""
        state = self._loaded
        owner, account = state.owner_id, state.account_id
        updates: list[SearchAttributeUpdate[Any]] = [
            attrs.DEAL_STAGE.value_set(state.stage.value),
            attrs.DEAL_VALUE.value_set(float(state.value)),
            attrs.DEAL_OWNER.value_set(str(owner)) if owner else attrs.DEAL_OWNER.value_unset(),
            attrs.DEAL_ACCOUNT_ID.value_set(str(account))
            if account
            else attrs.DEAL_ACCOUNT_ID.value_unset(),
        ]
        if self._last_transition_at:
            updates.append(attrs.DEAL_LAST_TRANSITION_AT.value_set(self._last_transition_at))
        workflow.upsert_search_attributes(updates)
