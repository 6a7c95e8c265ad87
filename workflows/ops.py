"""What ops do to a deal's workflow from outside it: retry a failing activity now, terminate the
run, reset it to its last good point. Each answers what it did, for the deal's journal."""

import uuid

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.workflowservice.v1 import (
    ResetActivityRequest,
    ResetWorkflowExecutionRequest,
)
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from models.errors import Conflict, NotFound
from workflows.search import failing, pending_activities


async def _status(handle: WorkflowHandle, deal_id: str) -> WorkflowExecutionStatus | None:
    try:
        return (await handle.describe()).status
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:
            raise NotFound("deal", deal_id) from error
        raise


async def retry_now(client: Client, deal_id: str, by: str) -> list[str]:
    """Every activity of the deal that failed and waits for its next attempt is tried again at
    once (Temporal's activity reset: attempt 1, no backoff left). Answers their types.

    Only a regular activity can be: the deal's transitions are local activities, retried a few
    times within the caller's deadline and then refused, never left retrying."""
    handle = client.get_workflow_handle(deal_id)
    if await _status(handle, deal_id) is not WorkflowExecutionStatus.RUNNING:
        raise Conflict("not_running", "the deal's workflow is not running: nothing to retry")
    retried = []
    for activity in failing(await pending_activities(client, deal_id)):
        await client.workflow_service.reset_activity(
            ResetActivityRequest(
                namespace=client.namespace,
                execution=WorkflowExecution(workflow_id=deal_id),
                id=activity.activity_id,
                identity=by,
            )
        )
        retried.append(activity.activity_type.name)
    if not retried:
        raise Conflict("nothing_failing", "no activity of the deal is failing")
    return retried


async def terminate(client: Client, deal_id: str, reason: str) -> None:
    """The run ends at once; the deal's records keep their states."""
    handle = client.get_workflow_handle(deal_id)
    if await _status(handle, deal_id) is not WorkflowExecutionStatus.RUNNING:
        raise Conflict("not_running", "the deal's workflow is not running")
    await handle.terminate(reason=reason)


async def reset_to_last_good_point(client: Client, deal_id: str, reason: str, by: str) -> str:
    """A new run from the latest workflow task that completed (what `temporal workflow reset
    --type LastWorkflowTask` does): a run failed, terminated, or stuck on a workflow task that
    fails goes on from there; signals sent after that point are applied again. Steps it runs
    again are journaled by their step id and find their work done. Answers the new run's id."""
    handle = client.get_workflow_handle(deal_id)
    status = await _status(handle, deal_id)
    if status is WorkflowExecutionStatus.COMPLETED:
        raise Conflict("completed", "the deal's workflow completed: nothing to reset")
    last_good = None
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            last_good = event.event_id
    if last_good is None:
        raise Conflict("no_good_point", "the deal's workflow never completed a workflow task")
    response = await client.workflow_service.reset_workflow_execution(
        ResetWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=deal_id),
            reason=reason,
            workflow_task_finish_event_id=last_good,
            request_id=str(uuid.uuid4()),
            identity=by,
        )
    )
    return str(response.run_id)
