"""DealWorkflow: one deal, lead to paid invoice, as one durable workflow.

Every change to the deal's records is an update (or a signal of the same name) carrying a
`DealCommand`, whose action names its rule and effect in `models.deal.actions.ACTIONS`. The
validator refuses illegal transitions before they reach history; the handler, one transition at
a time, runs the `transition` activity (which checks the rule again against the database, applies
the effect and writes it) and keeps the snapshot the activity hands back.

Between transitions the workflow sleeps until its next reminder, computed from that snapshot
(`models.reminders`): a durable timer, so reminders fire even if every process restarted.
"""

import asyncio
import uuid
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ApplicationError, FailureError, TemporalError

with workflow.unsafe.imports_passed_through():
    import email_validator  # noqa: F401  (EmailStr validates with it; load it outside the sandbox)
    import idna  # noqa: F401

    from core import search_attributes as attrs
    from core.failures import to_failure
    from models.deal.actions import AUTOMATIC_ACTIONS, check_action
    from models.deal.invoice import MarkOverdue
    from models.deal.lead import FlagStale
    from models.deal.ownership import Assign
    from models.deal.quote import ExpireQuote
    from models.deal.records import ActionInput
    from models.deal.state import DealState
    from models.deal.steps import followed_process
    from models.deal_command import (
        ActivityRecorded,
        CancelFollowUp,
        CancelReminder,
        DealCommand,
        DealStart,
        DealSummary,
        DealView,
        IgnoredSignal,
        ScheduleFollowUp,
    )
    from models.errors import DomainError, IllegalTransition, InvalidField, NotFound
    from models.notification import Delivery, Escalated, Escalation, Notification, ReminderTask
    from models.process import ProcessView, process_view
    from models.reminders import (
        Due,
        ReminderKind,
        ReminderMemory,
        ReminderPolicy,
        ScheduledFollowUp,
        upcoming,
    )
    from models.transition import TransitionReply, TransitionRequest, TransitionResult

T = TypeVar("T")

ACTIVITY_TIMEOUT = timedelta(seconds=30)
# Database hiccups are retried a few times; a caller waiting on an update is not kept forever.
ACTIVITY_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=8,
)
# Nobody waits on a notification: a webhook or mail server may be down for a while.
NOTIFY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(minutes=5),
    maximum_attempts=20,
)
IGNORED_SIGNALS_KEPT = 20
# Deals whose run began before this patch keep their recorded way of working until the run ends:
# each transition a regular activity named after its action, a reminder timer restarted on every
# change, search attributes sent after every transition. Runs that began with it run transitions
# as local activities (one workflow task per transition instead of two, no activity task), keep
# a timer until it is due earlier, and send the last transition time alone only every
# LAST_TRANSITION_RESOLUTION: each is a write to Temporal's history or visibility store.
LOCAL_STEPS = "local-steps"
# Runs that reach a reminder before this patch sent its notification to every channel in one
# activity, so a failing channel made every retry send the others again; with it, each channel
# is an activity of its own. The old activity stays registered for notifications in flight.
NOTIFY_PER_CHANNEL = "notify-per-channel"
# Runs that began with this patch escalate a lead whose follow-ups all went unanswered to its
# owner's manager (a task, a notification, and the deal handed to them if the worker says so)
# when it turns stale: a timer and activities older runs never had, so they never do.
ESCALATE_STALLED = "escalate-stalled"
# Runs that began with this patch also publish the owner's team and the lead's source, and mark
# themselves while a reminder's activities run (DealReminderRunning), so ops list deals by team
# and find those with a reminder failing and retrying.
OPS_ATTRIBUTES = "ops-attributes"
# How stale DealLastTransitionAt may be in visibility when nothing else about the deal changed.
LAST_TRANSITION_RESOLUTION = timedelta(minutes=15)


@workflow.defn
class DealWorkflow:
    @workflow.init
    def __init__(self, start: DealStart) -> None:
        self._state: DealState | None = DealState(deal_id=start.deal_id) if start.new else None
        self._lock = asyncio.Lock()
        self._ignored: list[IgnoredSignal] = []
        self._last_transition_at: datetime | None = None
        self._last_step: uuid.UUID | None = None
        self._policy = start.policy
        self._memory = start.memory or ReminderMemory(last_touch_at=workflow.now())
        self._history_limit = start.history_limit
        self._changed = False
        self._alarm: asyncio.Task[None] | None = None
        self._alarm_at: datetime | None = None
        # Search attribute values this run has sent. A run that has made no transition yet
        # leaves the last transition time its previous run published: never sent unset.
        self._published: dict[str, Any] = {attrs.DEAL_LAST_TRANSITION_AT.name: None}
        self._escalate = False
        self._ops_attributes = False
        # The owner's team as the last step answered it; unknown until this run makes one.
        self._team: str | None = None
        self._team_known = False

    @workflow.run
    async def run(self, start: DealStart) -> DealSummary:
        self._escalate = workflow.patched(ESCALATE_STALLED)
        self._ops_attributes = workflow.patched(OPS_ATTRIBUTES)
        if self._state is None:
            self._state = await self._run_activity("load_deal", start, DealState)
        if not (start.new and workflow.patched(LOCAL_STEPS)):  # a new deal's first step does
            self._publish()
        while True:
            for due in self._pending(due_by=workflow.now()):
                await self._fire(due)
            if self._done() or self._history_is_long():
                await workflow.wait_condition(workflow.all_handlers_finished)
                if self._done():
                    return DealSummary(
                        deal_id=start.deal_id,
                        stage=self._loaded.stage,
                        outcome=self._loaded.outcome,
                    )
                if self._history_is_long():
                    carried = {"policy": self._policy, "memory": self._memory, "new": False}
                    workflow.continue_as_new(start.model_copy(update=carried))
                continue
            await self._sleep_until_next_reminder()

    # --- transitions ----------------------------------------------------------------------

    @workflow.update(dynamic=True)
    async def transition(self, name: str, args: Sequence[RawValue]) -> TransitionReply:
        command = self._decode(name, args)
        try:
            return (await self._apply(command)).reply()
        except DomainError as error:
            raise to_failure(error) from error
        except Exception as error:
            # Answered, not left to fail the workflow task: that would stall the whole run
            # (its timers too) until a worker with different code took it.
            if _workflow_fault(error) or isinstance(error, FailureError):
                raise
            raise ApplicationError(f"{type(error).__name__}: {error}", type="StepFailed") from error

    @transition.validator
    def _validate(self, name: str, args: Sequence[RawValue]) -> None:
        command = self._decode(name, args)
        # A new run checks once its records are loaded. A keyed step may be a retry of one a
        # previous run made, which the rule would now refuse: the activity finds it done and
        # answers its first outcome (or checks the rule against the database, as always).
        if self._state is not None and command.step_id is None:
            try:
                check_action(self._state, command.action, workflow.now().date())
            except DomainError as error:
                raise to_failure(error) from error

    @workflow.signal(dynamic=True)
    async def transition_signal(self, name: str, args: Sequence[RawValue]) -> None:
        """For callers that cannot wait: an invalid signal is recorded and ignored, never fatal."""
        try:
            await self._apply(self._decode(name, args), unchecked=True)
        except Exception as error:
            # Whatever went wrong: a failure raised from a signal handler fails the workflow,
            # any other exception fails its task over and over, and either way its timers stop.
            if _workflow_fault(error):
                raise
            workflow.logger.warning("ignored signal %s: %s", name, error)
            self._ignored = [
                *self._ignored[-IGNORED_SIGNALS_KEPT + 1 :],
                IgnoredSignal(name=name, reason=str(error), at=workflow.now()),
            ]

    # --- reminders --------------------------------------------------------------------------

    @workflow.signal
    def activity_recorded(self, recorded: ActivityRecorded) -> None:
        """A person recorded an activity on the deal: follow-up clocks start over."""
        self._touch()

    @workflow.update
    async def schedule_follow_up(self, request: ScheduleFollowUp) -> ScheduledFollowUp:
        """A follow-up at `due_at`: a task for the deal's owner, and a notification."""
        await workflow.wait_condition(lambda: self._state is not None)
        _refuse_if_closed(self._loaded, "schedule a follow-up")
        follow_up = ScheduledFollowUp(
            id=workflow.uuid4(), due_at=request.due_at, subject=request.subject, by=request.by
        )
        memory = self._memory
        self._memory = memory.model_copy(update={"follow_ups": [*memory.follow_ups, follow_up]})
        self._changed = True
        return follow_up

    @schedule_follow_up.validator
    def _validate_follow_up(self, request: ScheduleFollowUp) -> None:
        if self._state is not None:  # a new run checks once its records are loaded
            _refuse_if_closed(self._state, "schedule a follow-up")

    @workflow.update
    def cancel_follow_up(self, request: CancelFollowUp) -> list[ScheduledFollowUp]:
        memory = self._memory
        self._memory = memory.model_copy(
            update={"follow_ups": [f for f in memory.follow_ups if f.id != request.follow_up_id]}
        )
        self._changed = True
        return self._memory.follow_ups

    @cancel_follow_up.validator
    def _validate_cancel_follow_up(self, request: CancelFollowUp) -> None:
        if all(f.id != request.follow_up_id for f in self._memory.follow_ups):
            raise to_failure(NotFound("follow-up", request.follow_up_id))

    @workflow.update
    def cancel_reminder(self, request: CancelReminder) -> list[Due]:
        """Ops: a pending reminder (or follow-up) settled without being sent."""
        due = next(d for d in self._pending() if d.key == request.key)
        self._memory = self._memory.settle(due)
        self._changed = True
        return self._pending()

    @cancel_reminder.validator
    def _validate_cancel_reminder(self, request: CancelReminder) -> None:
        if self._state is None or all(d.key != request.key for d in self._pending()):
            raise to_failure(NotFound("reminder", request.key))

    @workflow.update
    def set_reminder_policy(self, policy: ReminderPolicy) -> ReminderPolicy:
        """Override this deal's reminder durations."""
        self._policy = policy
        self._changed = True
        return policy

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
            policy=self._policy,
            last_touch_at=self._memory.last_touch_at,
            reminders=self._pending(),
            follow_ups=self._memory.follow_ups,
        )

    @workflow.query
    def process(self) -> ProcessView:
        """The stage bar: the deal's process, its active stage, each stage's steps done or not
        and the share complete (also what the Temporal UI's query shows)."""
        state = self._loaded
        return process_view(followed_process(state), state)

    def _pending(self, due_by: datetime | None = None) -> list[Due]:
        if self._done():
            return []
        pending = upcoming(self._loaded, self._policy, self._memory, self._escalate)
        return [d for d in pending if due_by is None or d.at <= due_by]

    async def _sleep_until_next_reminder(self) -> None:
        now = workflow.now()
        later = [d.at for d in self._pending() if d.at > now]
        self._changed = False
        if not workflow.patched(LOCAL_STEPS):
            with suppress(TimeoutError):  # the timeout is the next reminder falling due
                await workflow.wait_condition(
                    lambda: self._changed or self._done() or self._history_is_long(),
                    timeout=(min(later) - now) if later else None,
                )
            return
        if later:
            self._set_alarm(min(later))
        await workflow.wait_condition(
            lambda: self._changed or self._done() or self._history_is_long() or self._alarm_rang()
        )
        if self._alarm_rang():
            self._alarm = None

    def _alarm_rang(self) -> bool:
        return self._alarm is not None and self._alarm.done()

    def _set_alarm(self, at: datetime) -> None:
        """A durable timer for `at`, unless one is set for then or sooner. Most transitions push
        the reminders later (a touch restarts the follow-up clocks), so the timer stays as it is:
        no timer cancelled and started per transition. When it rings early, nothing is due, and
        the loop sets the next one."""
        if self._alarm is not None and not self._alarm.done():
            if self._alarm_at is not None and self._alarm_at <= at:
                return
            self._alarm.cancel()
        self._alarm = asyncio.create_task(workflow.sleep(at - workflow.now()))
        self._alarm_at = at

    async def _fire(self, due: Due) -> None:
        """Send one reminder: its transition if it has one, a task, and a notification."""
        automatic: dict[ReminderKind, ActionInput] = {}
        if due.record_id is not None:
            automatic = {
                ReminderKind.lead_stale: FlagStale(),
                ReminderKind.quote_expiry: ExpireQuote(quote_id=due.record_id),
                ReminderKind.invoice_overdue: MarkOverdue(invoice_id=due.record_id),
            }
        if self._ops_attributes:
            workflow.upsert_search_attributes([attrs.DEAL_REMINDER_RUNNING.value_set(due.kind)])
        try:
            if due.kind is ReminderKind.escalation:
                await self._escalate_stalled(due)
                self._memory = self._memory.settle(due)
                return
            if due.kind in automatic:
                await self._apply(DealCommand(action=automatic[due.kind]), unchecked=True)
            state = self._loaded
            regarding, regarding_id = (
                (due.record, due.record_id) if due.record_id else state.main_record
            )
            if due.kind is not ReminderKind.quote_expiry and regarding_id is not None:
                await workflow.execute_activity(
                    "create_reminder_task",
                    ReminderTask(
                        deal_id=state.deal_id,
                        key=due.key,
                        subject=due.subject,
                        owner_id=state.owner_id,
                        regarding_type=regarding,
                        regarding_id=regarding_id,
                        due_at=due.at,
                    ),
                    start_to_close_timeout=ACTIVITY_TIMEOUT,
                    retry_policy=ACTIVITY_RETRY,
                )
            await self._notify(
                Notification(
                    deal_id=state.deal_id,
                    kind=due.kind,
                    subject=due.subject,
                    owner_id=state.owner_id,
                    record=due.record,
                    record_id=due.record_id,
                    due_at=due.at,
                )
            )
        except Exception as error:
            # Moot (the quote was accepted meanwhile), undeliverable, or failed in any other way:
            # settled and never retried in a loop, and never the end of the run.
            if _workflow_fault(error):
                raise
            workflow.logger.warning("reminder %s not sent: %s", due.key, error)
            _count("dealflow_reminders_failed", "Reminders not sent", kind=due.kind.value)
        else:
            _count("dealflow_reminders_sent", "Reminders sent", kind=due.kind.value)
        finally:
            if self._ops_attributes:
                workflow.upsert_search_attributes([attrs.DEAL_REMINDER_RUNNING.value_unset()])
        self._memory = self._memory.settle(due)

    async def _escalate_stalled(self, due: Due) -> None:
        """The owner's manager gets a task and a notification; the deal is handed to them if the
        worker says so (a person's activity or transition meanwhile would have moved the
        reminder on, so an escalation never fires on a deal someone is working)."""
        state = self._loaded
        if due.record_id is None:
            return
        escalated = await workflow.execute_activity(
            "escalate_stalled_deal",
            Escalation(
                deal_id=state.deal_id,
                key=due.key,
                subject=due.subject,
                owner_id=state.owner_id,
                regarding_type=due.record,
                regarding_id=due.record_id,
                due_at=due.at,
            ),
            result_type=Escalated,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
        )
        if escalated.manager_id is None:
            return
        await self._notify(
            Notification(
                deal_id=state.deal_id,
                kind=due.kind,
                subject=due.subject,
                owner_id=escalated.manager_id,
                record=due.record,
                record_id=due.record_id,
                due_at=due.at,
            )
        )
        if escalated.hand_to is not None and escalated.hand_to != state.owner_id:
            record, record_id = state.main_record
            if record in ("lead", "opportunity", "order", "invoice") and record_id is not None:
                hand = Assign(owner_id=escalated.hand_to, record=record, record_id=record_id)
                await self._apply(DealCommand(action=hand), unchecked=True)

    async def _notify(self, notification: Notification) -> None:
        """One activity per configured channel, side by side: a channel that fails is retried
        on its own and never sends another channel's message again."""
        if not workflow.patched(NOTIFY_PER_CHANNEL):
            await workflow.execute_activity(
                "send_notification",
                notification,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=NOTIFY_RETRY,
            )
            return
        channels = await workflow.execute_local_activity(
            "notification_channels", result_type=list[str], start_to_close_timeout=ACTIVITY_TIMEOUT
        )
        outcomes = await asyncio.gather(
            *(
                workflow.execute_activity(
                    "deliver_notification",
                    Delivery(channel=channel, notification=notification),
                    start_to_close_timeout=ACTIVITY_TIMEOUT,
                    retry_policy=NOTIFY_RETRY,
                )
                for channel in channels
            ),
            return_exceptions=True,
        )
        for channel, outcome in zip(channels, outcomes, strict=True):
            if isinstance(outcome, Exception):
                workflow.logger.warning("notification %s not sent: %s", channel, outcome)

    # --- plumbing -----------------------------------------------------------------------------

    @property
    def _loaded(self) -> DealState:
        if self._state is None:
            raise ApplicationError("the deal is still loading", type="DealLoading")
        return self._state

    def _history_is_long(self) -> bool:
        """Time to continue as new, carrying the reminder clocks; the next run reloads the deal."""
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() >= self._history_limit
        )

    def _done(self) -> bool:
        return self._state is not None and self._state.is_done

    def _touch(self) -> None:
        self._memory = self._memory.touched(workflow.now())
        self._changed = True

    def _decode(self, name: str, args: Sequence[RawValue]) -> DealCommand:
        try:
            command = workflow.payload_converter().from_payload(args[0].payload, DealCommand)
        except Exception as error:  # no argument, an unknown encoding, not JSON, not a command
            raise to_failure(
                InvalidField("action", f"not a valid {name} command: {error}")
            ) from error
        if not isinstance(command, DealCommand):  # a null payload decodes to None
            raise to_failure(InvalidField("action", f"not a valid {name} command: {command!r}"))
        if command.action.action != name:
            raise to_failure(InvalidField("action", f"{command.action.action} sent as {name}"))
        return command

    async def _apply(self, command: DealCommand, unchecked: bool = False) -> TransitionResult:
        """Run the transition's activity, under the lock: one transition of a deal at a time.

        An update's rule was checked by its validator; a signal, which has none, is `unchecked`
        and checked here. The activity checks the rule again against the database, so a
        transition that another, run meanwhile, made illegal is refused there."""
        await workflow.wait_condition(lambda: self._state is not None)
        async with self._lock:
            name = command.action.action
            request = TransitionRequest(
                deal_id=self._loaded.deal_id,
                step_id=command.step_id or workflow.uuid4(),
                at=workflow.now(),
                by=command.by,
                action=command.action,
                after_step=self._last_step,
            )
            local = workflow.patched(LOCAL_STEPS)
            if unchecked or not local:
                check_action(self._loaded, command.action, workflow.now().date())
            result = await self._run_activity(
                "transition" if local else name, request, TransitionResult
            )
            self._state = result.state
            self._team = str(result.owner_team_id) if result.owner_team_id else None
            self._team_known = True
            self._last_step = request.step_id
            self._last_transition_at = workflow.now()
            if name not in AUTOMATIC_ACTIONS:
                self._touch()
            self._changed = True
            self._publish()
            _count("dealflow_transitions", "Transitions applied, by action", action=name)
            return result

    async def _run_activity(self, name: str, arg: Any, result_type: type[T]) -> T:
        """A database activity: local in runs that began with LOCAL_STEPS, regular before."""
        if workflow.patched(LOCAL_STEPS):
            return await workflow.execute_local_activity(
                name,
                arg,
                result_type=result_type,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
        return await workflow.execute_activity(
            name,
            arg,
            result_type=result_type,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
        )

    def _publish(self) -> None:
        """Search attributes, so ops find deals by stage, owner, account and value. Only those
        that changed are sent: each one sent is a payload in history and in visibility."""
        state = self._loaded
        values: list[tuple[SearchAttributeKey[Any], Any]] = [
            (attrs.DEAL_STAGE, state.stage.value),
            (attrs.DEAL_VALUE, float(state.value)),
            (attrs.DEAL_OWNER, str(state.owner_id) if state.owner_id else None),
            (attrs.DEAL_ACCOUNT_ID, str(state.account_id) if state.account_id else None),
            (attrs.DEAL_LAST_TRANSITION_AT, self._last_transition_at),
        ]
        if self._ops_attributes:
            values.append((attrs.DEAL_LEAD_SOURCE, state.lead_source))
            if self._team_known:
                values.append((attrs.DEAL_TEAM, self._team))
        changed = [
            (key, value)
            for key, value in values
            if key.name not in self._published or self._published[key.name] != value
        ]
        if self._only_a_recent_touch(changed) and workflow.patched(LOCAL_STEPS):
            return
        if changed:
            workflow.upsert_search_attributes(
                [
                    key.value_unset() if value is None else key.value_set(value)
                    for key, value in changed
                ]
            )
            self._published.update((key.name, value) for key, value in changed)

    def _only_a_recent_touch(self, changed: list[tuple[SearchAttributeKey[Any], Any]]) -> bool:
        """Nothing changed but the last transition time, and the one published is recent: each
        upsert is a write to Temporal's visibility store, so that time alone is sent at most
        every LAST_TRANSITION_RESOLUTION (with any other change, it goes along exactly)."""
        if [key.name for key, _ in changed] != [attrs.DEAL_LAST_TRANSITION_AT.name]:
            return False
        published = self._published.get(attrs.DEAL_LAST_TRANSITION_AT.name)
        return published is not None and changed[0][1] - published < LAST_TRANSITION_RESOLUTION


def _count(name: str, description: str, **labels: str) -> None:
    """One more on a counter of the worker's Prometheus endpoint (the SDK's meter counts
    nothing while a history replays)."""
    workflow.metric_meter().create_counter(name, description).add(1, labels)


def _workflow_fault(error: Exception) -> bool:
    """The workflow's own code broke Temporal's rules (nondeterminism, the sandbox): its task
    must fail, so a fixed worker replays it. Anything else is the caller's or the activity's."""
    return isinstance(error, TemporalError) and not isinstance(error, FailureError)


def _refuse_if_closed(state: DealState, action: str) -> None:
    if state.is_done:
        raise to_failure(IllegalTransition("deal", state.stage, action, "the deal is closed"))
