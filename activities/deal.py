"""The deal's database activities: load a deal, and run one transition in one transaction.

`transition` reads the deal's records, runs the action's rule and effect (pure code, found by the
action's name in `models.deal.actions.ACTIONS`), writes what the effect returned and the journal
row, and answers the snapshot the workflow keeps. It is idempotent: the step id is the journal
row's id, and every record a step creates has an id derived from it, so a retried step finds its
work done and writes nothing twice.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, tzinfo

import structlog
from sqlalchemy import Engine
from sqlmodel import Session
from temporalio import activity
from temporalio.common import RawValue

from core.failures import to_failure
from models.deal.actions import ACTIONS
from models.deal.records import Deal, Step
from models.deal.state import DealState
from models.deal.steps import followed_process
from models.deal_command import DealStart
from models.deal_event import DealEvent
from models.errors import DomainError
from models.process import check_required_steps
from models.transition import TransitionRequest, TransitionResult
from services.deal_records import read_deal, step_done, write_step
from services.shared_records import DatabaseSharedRecords
from services.users import owner

log = structlog.get_logger()


class RecentDeals:
    """The records of the deals this worker moved last, each with the step that left them so.

    A deal's records have one writer, its workflow, one step at a time. When the workflow says
    the step it applied last is the one remembered here, the remembered records are what the
    database holds, and the next step need not read them. Any other step (another worker moved
    the deal meanwhile, a new run, a retry) reads the database."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._deals: OrderedDict[str, tuple[uuid.UUID, Deal]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, deal_id: str, after_step: uuid.UUID | None) -> Deal | None:
        with self._lock:
            found = self._deals.get(deal_id)
            if found is None or after_step is None or found[0] != after_step:
                return None
            self._deals.move_to_end(deal_id)
            return found[1]

    def put(self, deal_id: str, step_id: uuid.UUID, deal: Deal) -> None:
        with self._lock:
            self._deals[deal_id] = (step_id, deal)
            self._deals.move_to_end(deal_id)
            while len(self._deals) > self._size:
                self._deals.popitem(last=False)


def apply_transition(
    session: Session,
    request: TransitionRequest,
    recent: RecentDeals,
    zone: tzinfo = UTC,
    enforce_process_steps: bool = False,
) -> TransitionResult:
    """One step of one deal, committed; or, if this step committed before, what it did.
    `zone`: the organisation's, whose date a step's day is; `enforce_process_steps`: a step
    leaving a stage needs the stage's required process steps done."""
    done = step_done(session, request.step_id)
    if done is not None:
        now = read_deal(session, request.deal_id)
        return TransitionResult(
            state=now.snapshot(),
            record=done.record,
            record_id=done.record_id,
            documents=now.documents(),
            owner_team_id=_team_of_owner(session, now.snapshot()),
        )
    deal = recent.get(request.deal_id, request.after_step) or read_deal(session, request.deal_id)
    action = ACTIONS[request.action.action]
    step = Step(
        request.deal_id,
        request.step_id,
        request.at,
        request.by,
        DatabaseSharedRecords(session),
        zone,
    )
    snapshot = deal.snapshot()
    action.check(snapshot, request.action, step.today)
    if enforce_process_steps:
        check_required_steps(followed_process(snapshot), snapshot, request.action.action)
    effect = action.apply(deal, request.action, step)
    after = deal.after(effect)
    state = after.snapshot()
    event = DealEvent(
        id=request.step_id,
        deal_id=request.deal_id,
        action=request.action.action,
        record=effect.record,
        record_id=effect.record_id,
        stage=state.stage,
        summary=effect.summary,
        by=request.by,
        at=request.at,
    )
    write_step(session, deal, effect, event)
    session.commit()
    recent.put(request.deal_id, request.step_id, after)
    return TransitionResult(
        state=state,
        record=effect.record,
        record_id=effect.record_id,
        documents=after.documents(),
        owner_team_id=_team_of_owner(session, state),
    )


def _team_of_owner(session: Session, state: DealState) -> uuid.UUID | None:
    found = owner(session, state.owner_id)
    return found.team_id if found else None


class DealActivities:
    """Bound to the database they write to; the worker registers `all()`."""

    def __init__(
        self,
        engine: Engine,
        remembered_deals: int = 500,
        zone: tzinfo = UTC,
        enforce_process_steps: bool = False,
    ) -> None:
        self._engine = engine
        self._recent = RecentDeals(remembered_deals)
        self._zone = zone
        self._enforce_process_steps = enforce_process_steps

    @activity.defn
    def load_deal(self, start: DealStart) -> DealState:
        """Where a deal's workflow run starts: its records as they are in the database."""
        with Session(self._engine) as session:
            return read_deal(session, start.deal_id).snapshot()

    @activity.defn
    def transition(self, request: TransitionRequest) -> TransitionResult:
        """One transition of a deal (the workflow runs it as a local activity)."""
        with (
            structlog.contextvars.bound_contextvars(
                deal_id=request.deal_id,
                run_id=activity.info().workflow_run_id if activity.in_activity() else None,
                action=request.action.action,
                user=str(request.by) if request.by else None,
            ),
            Session(self._engine) as session,
        ):
            try:
                result = apply_transition(
                    session, request, self._recent, self._zone, self._enforce_process_steps
                )
                log.info("transition applied", stage=result.state.stage, record=result.record)
                return result
            except DomainError as error:
                # A rule that only the database could check: refuse now, a retry would not help.
                raise to_failure(error) from error

    @activity.defn(dynamic=True)
    def transition_by_action_name(self, args: Sequence[RawValue]) -> TransitionResult:
        """The same transition, scheduled under the action's name (`accept`, `pay`...) as deals
        whose run began before transitions became local activities still do; until those runs
        end or continue as new, the worker must answer them."""
        converter = activity.payload_converter()
        return self.transition(converter.from_payload(args[0].payload, TransitionRequest))

    def all(self) -> list[Callable[..., object]]:
        return [self.load_deal, self.transition, self.transition_by_action_name]
