"""How the API drives deal workflows: one transition = one update-with-start.

Update-with-start (existing run if one is running, else a new run that loads the deal from the
database) means a transition never fails because a deal's run has ended: reactivating a
disqualified lead or reopening a lost opportunity simply starts the deal's next run.
"""

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowExecutionStatus,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from core.failures import domain_error_of
from models.deal.records import ActionInput
from models.deal_command import ActivityRecorded, DealCommand, DealStart, DealView
from models.errors import NotFound
from models.process import ProcessView
from models.reminders import ReminderPolicy
from models.transition import TransitionReply
from workflows.deal import DealWorkflow


def deal_id_for(record_id: uuid.UUID) -> str:
    """A deal is named after the record it started from: its lead, or a shortcut's record."""
    return f"deal-{record_id}"


@dataclass(frozen=True)
class Deals:
    """The deal workflows of one Temporal client, task queue and reminder policy."""

    client: Client
    task_queue: str
    policy: ReminderPolicy
    history_limit: int = 5000
    # An update not answered within this long raises TimeoutError (None: wait for a worker).
    timeout_seconds: float | None = None

    async def transition(
        self,
        deal_id: str,
        action: ActionInput,
        by: uuid.UUID | None = None,
        new: bool = False,
        step_id: uuid.UUID | None = None,
    ) -> TransitionReply:
        """`new`: the caller has just made `deal_id`, so its first run need not read the
        database (one activity less per deal). `step_id` (from an Idempotency-Key) is also the
        update's id: Temporal answers a repeated update id with the first one's outcome."""
        command = DealCommand(action=action, by=by, step_id=step_id)
        result: TransitionReply = await self.update(
            deal_id,
            action.action,
            command,
            TransitionReply,
            new,
            update_id=str(step_id) if step_id else None,
        )
        return result

    async def update(
        self,
        deal_id: str,
        name: Any,
        arg: BaseModel,
        result_type: Any,
        new: bool = False,
        update_id: str | None = None,
    ) -> Any:
        """Run update `name` (or update method) on the deal, starting its next run if none is."""
        start = WithStartWorkflowOperation(
            DealWorkflow.run,
            DealStart(
                deal_id=deal_id, policy=self.policy, history_limit=self.history_limit, new=new
            ),
            id=deal_id,
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        try:
            async with asyncio.timeout(self.timeout_seconds):
                return await self.client.execute_update_with_start_workflow(
                    name,
                    arg,
                    start_workflow_operation=start,
                    result_type=result_type,
                    id=update_id,
                )
        except WorkflowUpdateFailedError as failure:
            error = domain_error_of(failure)
            if error is None:
                raise
            raise error from failure

    async def touch(self, deal_id: str, recorded: ActivityRecorded) -> None:
        """Tell a running deal that an activity was recorded; a closed deal has no reminders."""
        try:
            await self.client.get_workflow_handle(deal_id).signal(
                DealWorkflow.activity_recorded, recorded
            )
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise


async def process(client: Client, deal_id: str) -> ProcessView | None:
    """The running deal's stage bar, or None when no run of it is open."""
    handle = client.get_workflow_handle(deal_id)
    try:
        if (await handle.describe()).status is not WorkflowExecutionStatus.RUNNING:
            return None
        return await handle.query(DealWorkflow.process)
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            raise NotFound("deal", deal_id) from error
        raise
    except WorkflowQueryFailedError:
        return None


async def view(
    client: Client, deal_id: str
) -> tuple[DealView | None, WorkflowExecutionStatus | None]:
    """The running deal's live view (None when no run of it is open), and its latest run's
    status."""
    handle = client.get_workflow_handle(deal_id)
    try:
        status = (await handle.describe()).status
        if status is not WorkflowExecutionStatus.RUNNING:
            return None, status
        return await handle.query(DealWorkflow.view), status
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            raise NotFound("deal", deal_id) from error
        raise
    except WorkflowQueryFailedError:
        return None, status
