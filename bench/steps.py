"""A deal's steps alone: the transition activity's database work, in this process, no Temporal.

Runs whole deals (the nine transitions of the throughput run) straight through the activity on a
SQLite file of their own, twice: chaining each step to the one before, as the workflow does, so
the worker's memory of the deal serves it; and with no step to chain to, so each step reads the
deal from the database. Milliseconds per step, per transition kind.
"""

import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from activities.deal import DealActivities
from bench.stats import Latencies
from core.db import make_engine, upgrade_schema
from models.deal.invoice import Pay
from models.deal.lead import CreateLead, Qualify
from models.deal.lines import AddLine
from models.deal.order import Fulfill, InvoiceOrder
from models.deal.quote import Accept, Activate, CreateQuote
from models.deal.records import ActionInput
from models.invoice import PaymentFields
from models.lead import LeadCreate
from models.line_item import LineInput
from models.transition import TransitionRequest, TransitionResult

WARM_UP = 10


def one_deal(activities: DealActivities, i: int, latencies: Latencies, chained: bool) -> None:
    lead_id = uuid.uuid4()
    deal_id = f"deal-{lead_id}"
    last: list[uuid.UUID] = []

    def step(action: ActionInput) -> TransitionResult:
        step_id = uuid.uuid4()
        request = TransitionRequest(
            deal_id=deal_id,
            step_id=step_id,
            at=datetime.now(UTC),
            action=action,
            after_step=last[-1] if chained and last else None,
        )
        started = time.perf_counter()
        result = activities.transition(request)
        latencies.add(action.action, (time.perf_counter() - started) * 1000)
        last.append(step_id)
        return result

    lead = LeadCreate(topic="desks", last_name=f"Hopper {i}", company_name=f"Co {i % 97}")
    step(CreateLead(lead_id=lead_id, lead=lead))
    opportunity = step(Qualify()).state.opportunity
    if opportunity is None:
        raise RuntimeError("qualify made no opportunity")
    line = LineInput(write_in_description="Desk", quantity=Decimal(2), price_per_unit=Decimal(649))
    step(AddLine(document_id=opportunity.id, line=line))
    quote_id = step(CreateQuote()).record_id
    step(Activate(quote_id=quote_id))
    order_id = step(Accept(quote_id=quote_id)).record_id
    step(Fulfill(order_id=order_id))
    invoice = step(InvoiceOrder(order_id=order_id)).state.invoices[0]
    step(Pay(invoice_id=invoice.id, payment=PaymentFields(amount=invoice.total_amount)))


def run_steps(folder: Path, deals: int) -> dict[str, Any]:
    url = f"sqlite:///{folder / 'steps.db'}"
    upgrade_schema(url)
    engine = make_engine(url)
    activities = DealActivities(engine)
    results: dict[str, Any] = {"deals": deals}
    try:
        for chained in (True, False):
            for i in range(WARM_UP):
                one_deal(activities, -i, Latencies(), chained)
            latencies = Latencies()
            started = time.perf_counter()
            for i in range(deals):
                one_deal(activities, i, latencies, chained)
            seconds = time.perf_counter() - started
            results["remembered" if chained else "read"] = {
                "ms_per_deal": seconds * 1000 / deals,
                "latency_ms": latencies.summary(),
            }
    finally:
        engine.dispose()
    return results
