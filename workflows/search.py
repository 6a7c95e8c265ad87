"""Deals in Temporal visibility: the list query ops filter by, its pages (Temporal's own page
tokens), and the deals that are stuck: a reminder's activity failing and retrying (from the
workflow's description), or idle in a stage past its threshold."""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.client import Client, WorkflowExecution, WorkflowExecutionStatus

from core import search_attributes as attrs
from models.deal.state import Stage
from workflows.deal import DealWorkflow


class DealStatus(StrEnum):
    """A deal's workflow run, as Temporal names its execution status."""

    running = "running"
    completed = "completed"
    failed = "failed"
    terminated = "terminated"
    canceled = "canceled"
    timed_out = "timed_out"
    continued_as_new = "continued_as_new"


_VISIBILITY_STATUS = {
    DealStatus.running: "Running",
    DealStatus.completed: "Completed",
    DealStatus.failed: "Failed",
    DealStatus.terminated: "Terminated",
    DealStatus.canceled: "Canceled",
    DealStatus.timed_out: "TimedOut",
    DealStatus.continued_as_new: "ContinuedAsNew",
}


def status_of(status: WorkflowExecutionStatus | None) -> DealStatus | None:
    return DealStatus(status.name.lower()) if status is not None else None


@dataclass(frozen=True)
class DealFilter:
    """What a list of deals asks visibility for. `owners`: the owners whose deals the caller
    may see (None: everyone's)."""

    status: DealStatus = DealStatus.running
    stage: Stage | None = None
    owner_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    lead_source: str | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    idle_since: datetime | None = None
    owners: frozenset[uuid.UUID] | None = None


def _quoted(value: str) -> str:
    """A string literal of Temporal's list filter (callers refuse quotes and backslashes)."""
    return f'"{value}"'


def deal_query(wanted: DealFilter) -> str:
    """The visibility list filter for `wanted`, deals newest first."""
    parts = [
        f"WorkflowType = {_quoted(DealWorkflow.__name__)}",
        f"ExecutionStatus = {_quoted(_VISIBILITY_STATUS[wanted.status])}",
    ]
    keywords = (
        (attrs.DEAL_STAGE, wanted.stage and wanted.stage.value),
        (attrs.DEAL_OWNER, wanted.owner_id and str(wanted.owner_id)),
        (attrs.DEAL_TEAM, wanted.team_id and str(wanted.team_id)),
        (attrs.DEAL_ACCOUNT_ID, wanted.account_id and str(wanted.account_id)),
        (attrs.DEAL_LEAD_SOURCE, wanted.lead_source),
    )
    parts += [f"{key.name} = {_quoted(value)}" for key, value in keywords if value]
    if wanted.min_value is not None:
        parts.append(f"{attrs.DEAL_VALUE.name} >= {wanted.min_value}")
    if wanted.max_value is not None:
        parts.append(f"{attrs.DEAL_VALUE.name} <= {wanted.max_value}")
    if wanted.idle_since is not None:
        parts.append(
            f"{attrs.DEAL_LAST_TRANSITION_AT.name} < {_quoted(wanted.idle_since.isoformat())}"
        )
    if wanted.owners is not None:
        # Nobody's: a deal id is never empty, so this matches nothing.
        listed = ", ".join(_quoted(str(owner)) for owner in sorted(wanted.owners))
        parts.append(f"{attrs.DEAL_OWNER.name} IN ({listed})" if listed else 'WorkflowId = ""')
    return " AND ".join(parts)


@dataclass(frozen=True)
class DealPage:
    executions: list[WorkflowExecution]
    next_page_token: bytes | None


async def deal_page(client: Client, query: str, limit: int, token: bytes | None) -> DealPage:
    """One page of the query's deals, from the position `token` (Temporal's) names."""
    found = client.list_workflows(query, page_size=limit, next_page_token=token)
    await found.fetch_next_page()
    return DealPage(list(found.current_page or []), found.next_page_token)


@dataclass(frozen=True)
class StuckDeal:
    deal_id: str
    stage: str | None
    owner_id: str | None
    reason: str  # "activity_failing" | "idle"
    detail: str
    activity: str | None = None
    attempt: int | None = None
    last_failure: str | None = None
    next_retry_at: datetime | None = None
    idle_since: datetime | None = None


def failing(pending: Iterable[PendingActivityInfo]) -> list[PendingActivityInfo]:
    """The activities that failed at least once and are being retried."""
    return [a for a in pending if a.attempt > 1 or a.HasField("last_failure")]


async def pending_activities(client: Client, deal_id: str) -> list[PendingActivityInfo]:
    description = await client.get_workflow_handle(deal_id).describe()
    return list(description.raw_description.pending_activities)


async def stuck_deals(
    client: Client, idle_after: Mapping[Stage, timedelta], now: datetime, limit: int
) -> list[StuckDeal]:
    """Deals with a reminder's activity failing and retrying, then deals idle in a stage past
    its threshold; at most `limit`."""
    stuck: list[StuckDeal] = []
    running = deal_query(DealFilter())
    busy = f"{running} AND {attrs.DEAL_REMINDER_RUNNING.name} IS NOT NULL"
    async for execution in client.list_workflows(busy, limit=limit):
        found = execution.typed_search_attributes
        for activity in failing(await pending_activities(client, execution.id)):
            retry_at = activity.next_attempt_schedule_time
            stuck.append(
                StuckDeal(
                    deal_id=execution.id,
                    stage=found.get(attrs.DEAL_STAGE),
                    owner_id=found.get(attrs.DEAL_OWNER),
                    reason="activity_failing",
                    detail=(
                        f"{activity.activity_type.name} failed {activity.attempt - 1} time(s) "
                        f"while sending its {found.get(attrs.DEAL_REMINDER_RUNNING)} reminder"
                    ),
                    activity=activity.activity_type.name,
                    attempt=activity.attempt,
                    last_failure=activity.last_failure.message or None,
                    next_retry_at=(
                        retry_at.ToDatetime(tzinfo=now.tzinfo)
                        if activity.HasField("next_attempt_schedule_time")
                        else None
                    ),
                )
            )
    for stage, after in idle_after.items():
        if len(stuck) >= limit:
            break
        query = deal_query(DealFilter(stage=stage, idle_since=now - after))
        async for execution in client.list_workflows(query, limit=limit - len(stuck)):
            found = execution.typed_search_attributes
            since = found.get(attrs.DEAL_LAST_TRANSITION_AT)
            stuck.append(
                StuckDeal(
                    deal_id=execution.id,
                    stage=stage.value,
                    owner_id=found.get(attrs.DEAL_OWNER),
                    reason="idle",
                    detail=f"no transition in {stage.value} for more than {after}",
                    idle_since=since,
                )
            )
    return stuck[:limit]
