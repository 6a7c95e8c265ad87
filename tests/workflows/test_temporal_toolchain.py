"""The Temporal servers from PyPI start here and run a workflow on dealflow's own worker."""

from datetime import timedelta

from pydantic import BaseModel
from temporalio import activity, workflow
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from worker import build_worker


class Greeting(BaseModel):
    name: str


@activity.defn
def greet(greeting: Greeting) -> str:
    return f"Hello, {greeting.name}"


@workflow.defn(sandboxed=False)
class GreetAfterADayWorkflow:
    """Waits a durable day, then calls an activity: a timer and an activity on one worker."""

    @workflow.run
    async def run(self, greeting: Greeting) -> str:
        await workflow.sleep(timedelta(days=1))
        return await workflow.execute_activity(
            greet, greeting, start_to_close_timeout=timedelta(seconds=10)
        )


async def run_on_worker(env: WorkflowEnvironment, settings: Settings) -> str:
    async with build_worker(
        env.client, settings, workflows=[GreetAfterADayWorkflow], activities=[greet]
    ):
        return await env.client.execute_workflow(
            GreetAfterADayWorkflow.run,
            Greeting(name="Ada"),
            id=f"greet-{settings.task_queue}",
            task_queue=settings.task_queue,
        )


async def test_time_skipping_server_runs_a_day_long_workflow(
    time_skipping_server: WorkflowEnvironment, settings: Settings
) -> None:
    assert await run_on_worker(time_skipping_server, settings) == "Hello, Ada"


async def test_dev_server_has_the_deal_search_attributes(
    dev_server: WorkflowEnvironment, settings: Settings
) -> None:
    listed = await dev_server.client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=dev_server.client.namespace)
    )
    assert {"DealStage", "DealOwner", "DealAccountId", "DealValue"} <= set(listed.custom_attributes)
