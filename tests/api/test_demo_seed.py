"""`make seed` loads a sample company with deals at every stage, once."""

import httpx
import pytest

from demo.seed import PLAN, SeedError, seed


async def test_the_sample_company_has_deals_at_every_stage_and_loads_once(
    deal_api: httpx.AsyncClient,
) -> None:
    stages = await seed(deal_api, deals=len(PLAN))

    assert stages == {
        "Qualify": 3,
        "Qualify (disqualified)": 1,
        "Develop": 3,
        "Develop (lost)": 2,
        "Propose": 3,
        "Close": 2,
        "Fulfill": 1,
        "Done (won)": 3,
    }
    paid = (await deal_api.get("/invoices", params={"limit": 100})).json()["data"]
    assert sorted(i["state"] for i in paid) == ["active", "paid", "paid", "paid"]
    open_leads = (await deal_api.get("/leads", params={"state": "open"})).json()["count"]
    assert open_leads == 3
    with pytest.raises(SeedError, match="already there"):
        await seed(deal_api, deals=1)
    assert (await deal_api.get("/leads")).json()["count"] == len(PLAN)
