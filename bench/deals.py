"""Full-deal throughput: N whole deals through dealflow's HTTP API, C clients at a time.

Each deal is nine transitions, each one HTTP request that runs one workflow update and one
activity: create the lead (starting the workflow), qualify, add a line, create a quote, activate,
accept, fulfill, invoice, and pay the whole balance (the deal ends Done, won).
"""

from typing import Any

import httpx

from bench.load import CallFailed, Run, http, http_client, run_jobs
from bench.stats import Latencies

TRANSITIONS = (
    "create_lead",
    "qualify",
    "add_line",
    "create_quote",
    "activate",
    "accept",
    "fulfill",
    "invoice",
    "pay",
)

LINE = {"write_in_description": "Standing desk", "quantity": "2", "price_per_unit": "649.00"}


def lead_body(i: int) -> dict[str, Any]:
    return {
        "topic": f"{10 + i % 40} desks",
        "first_name": "Grace",
        "last_name": f"Hopper {i}",
        "company_name": f"Bench Co {i % 97}",
        "email": f"buyer{i}@bench.example",
    }


async def one_deal(api: httpx.AsyncClient, i: int, latencies: Latencies) -> str:
    """Lead to paid invoice, each transition timed under its name; the deal's id."""

    async def step(kind: str, path: str, expect: int = 200, json: Any = None) -> Any:
        return await http(latencies, kind, api, "POST", path, expect=expect, json=json)

    lead = await step("create_lead", "/leads", 201, lead_body(i))
    deal = await step("qualify", f"/leads/{lead['id']}/qualify", json={})
    opportunity = deal["opportunity"]["id"]
    await step("add_line", f"/opportunities/{opportunity}/lines", 201, LINE)
    quote = (await step("create_quote", f"/opportunities/{opportunity}/quotes", 201, {}))[
        "record_id"
    ]
    await step("activate", f"/quotes/{quote}/activate")
    order = (await step("accept", f"/quotes/{quote}/accept"))["orders"][0]["id"]
    await step("fulfill", f"/orders/{order}/fulfill", json={"status": "complete"})
    invoice = (await step("invoice", f"/orders/{order}/invoices", 201, {}))["invoices"][0]
    paid = await step(
        "pay", f"/invoices/{invoice['id']}/pay", json={"amount": invoice["balance_due"]}
    )
    if (paid["stage"], paid["outcome"]) != ("Done", "won"):
        raise CallFailed(f"deal {paid['deal_id']} ended {paid['stage']}/{paid['outcome']}")
    deal_id: str = paid["deal_id"]
    return deal_id


async def run_deals(
    api_url: str, headers: dict[str, str], deals: int, concurrency: int, time_limit: float
) -> Run:
    async with http_client(api_url, concurrency, headers) as api:
        await one_deal(api, -1, Latencies())  # warm-up: connections, imports, caches

        async def job(i: int, latencies: Latencies) -> None:
            await one_deal(api, i, latencies)

        run: Run = await run_jobs(deals, concurrency, job, time_limit=time_limit)
        return run


def report(run: Run) -> dict[str, Any]:
    result = run.report(len(TRANSITIONS))
    result["deals_per_s"] = result.pop("jobs_per_s")
    result["transitions_per_s"] = result.pop("calls_per_s")
    return result
