"""Ops find deals in Temporal by stage, owner, account, value and last transition: each stays
right after every transition, including those it did not change; the last transition time, when
nothing else changed, to within a quarter of an hour."""

from sqlalchemy import Engine
from temporalio.client import WorkflowHandle
from temporalio.common import TypedSearchAttributes
from temporalio.testing import WorkflowEnvironment

from core import search_attributes as attrs
from core.settings import Settings
from tests.api.deals import new_lead, new_quote, ok
from tests.workflows.test_deal_durability import run_deal_api


async def found(handle: WorkflowHandle) -> TypedSearchAttributes:
    return (await handle.describe()).typed_search_attributes


async def test_a_deals_search_attributes_follow_it(
    settings: Settings, dev_server: WorkflowEnvironment, engine: Engine
) -> None:
    worker, api = await run_deal_api(settings, dev_server, engine)
    async with worker, api:
        lead = await new_lead(api)
        handle = dev_server.client.get_workflow_handle(lead["deal_id"])
        opened = await found(handle)
        assert opened.get(attrs.DEAL_STAGE) == "Qualify"
        assert opened.get(attrs.DEAL_OWNER) == lead["owner_id"]
        assert opened.get(attrs.DEAL_ACCOUNT_ID) is None
        assert opened.get(attrs.DEAL_VALUE) == 0.0
        assert opened.get(attrs.DEAL_LAST_TRANSITION_AT) is not None

        quote = await new_quote(api, "100.00")  # 2 x 100.00, quoted and activated
        opportunity = await ok(await api.get(f"/opportunities/{quote['opportunity_id']}"))
        account = opportunity["account_id"]  # the qualify made it from the lead's company
        assert account is not None
        handle = dev_server.client.get_workflow_handle(quote["deal_id"])
        quoted = await found(handle)
        assert quoted.get(attrs.DEAL_STAGE) == "Close"
        assert quoted.get(attrs.DEAL_VALUE) == 200.0
        assert quoted.get(attrs.DEAL_ACCOUNT_ID) == account
        owner = quoted.get(attrs.DEAL_OWNER)
        assert owner is not None

        order = (await ok(await api.post(f"/quotes/{quote['id']}/accept")))["orders"][0]
        accepted = await found(handle)
        assert accepted.get(attrs.DEAL_STAGE) == "Fulfill"
        # unchanged by the accept, so not sent again: still there
        assert accepted.get(attrs.DEAL_OWNER) == owner
        assert accepted.get(attrs.DEAL_ACCOUNT_ID) == account
        assert accepted.get(attrs.DEAL_VALUE) == 200.0
        before, after = (
            quoted.get(attrs.DEAL_LAST_TRANSITION_AT),
            accepted.get(attrs.DEAL_LAST_TRANSITION_AT),
        )
        assert before is not None and after is not None and after > before

        await ok(await api.post(f"/orders/{order['id']}/fulfill", json={"status": "complete"}))
        fulfilled = await found(handle)
        # nothing but the time changed, minutes after it was sent: not sent again
        assert fulfilled.get(attrs.DEAL_STAGE) == "Fulfill"
        assert fulfilled.get(attrs.DEAL_LAST_TRANSITION_AT) == after
