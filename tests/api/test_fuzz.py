"""Schemathesis over the app's own OpenAPI: every operation, signed in as an admin, with a real
worker on a Temporal dev server, then stateful runs that follow the links schemathesis infers
between operations (a lead made, then read, qualified, its opportunity changed...), so it reaches
transitions on real records. Whatever it sends, no answer is a server error (5xx) and every
answer matches the schema the app publishes.

Bounded here (a few examples per operation, well under a minute); `make fuzz` runs it long:
DEALFLOW_FUZZ_EXAMPLES examples per operation (4 here), DEALFLOW_FUZZ_SCENARIOS stateful runs
(8 here) of DEALFLOW_FUZZ_STEPS calls at most per scenario (10 here). The figures (operations,
cases, failures) are printed at the end.
"""

import asyncio
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import response_schema_conformance
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.auth import admin_headers
from worker import build_worker

EXAMPLES = int(os.environ.get("DEALFLOW_FUZZ_EXAMPLES", "4"))
SCENARIOS = int(os.environ.get("DEALFLOW_FUZZ_SCENARIOS", "8"))
# Each stateful run: this many scenarios of up to STEPS calls, starting from another operation.
SCENARIOS_PER_RUN = 3
STEPS = int(os.environ.get("DEALFLOW_FUZZ_STEPS", "10"))
CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass
class Figures:
    operations: int = 0
    cases: int = 0
    # Cases of the stateful scenarios, and the operations they reached with a 2xx.
    stateful_cases: int = 0
    stateful_reached: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    # "METHOD /path: what failed", one per failing operation or scenario.
    failures: list[str] = field(default_factory=list)

    def check(self, case: Any, response: Any, stateful: bool = False) -> None:
        """Count the case, and keep what its answer fails, with the request that reproduces it.
        Kept, not raised: Hypothesis would run the case again to report it, against a database
        the first run changed."""
        self.cases += 1
        self.statuses[response.status_code] += 1
        if stateful:
            self.stateful_cases += 1
            if response.status_code < 300:
                self.stateful_reached.add(case.operation.label)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis raises a group
            self.failures.append(f"{case.operation.label}: {failure}")

    def report(self) -> str:
        by_class = Counter(f"{status // 100}xx" for status in self.statuses.elements())
        return (
            f"fuzz: {self.operations} operations, {self.cases} cases "
            f"({', '.join(f'{n} {c}' for c, n in sorted(by_class.items()))}; "
            f"{self.stateful_cases} in stateful scenarios, reaching "
            f"{len(self.stateful_reached)} operations with a 2xx), "
            f"{len(self.failures)} failures"
        )


def quick(max_examples: int, steps: int = 50) -> hypothesis.settings:
    """Generate and run, no shrinking: a failure is reported as found (schemathesis prints the
    request that reproduces it), and the run stays short."""
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        stateful_step_count=steps,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


PRODUCT_FIELDS = ("name", "product_number", "unit_group_id", "default_unit_id", "list_price")


def world(client: Any) -> dict[str, list[str]]:
    """Real records of every kind, made through the API, by the path segment that names them
    (`quotes`; a nested kind by its parent too, `opportunities/lines`): the ids path
    parameters are drawn from, so generated calls reach records in every state, transitions
    included, not only 404s."""
    ids: dict[str, list[str]] = {}

    def made(kind: str, path: str, body: Any, *, key: str = "id") -> Any:
        response = client.post(path, json=body)
        assert response.status_code in (200, 201), (path, response.text)
        answer = response.json()
        ids.setdefault(kind, []).append(str(answer[key]))
        return answer

    group = made("unit-groups", "/unit-groups", {"name": "Count", "base_unit_name": "each"})
    [each] = client.get(f"/unit-groups/{group['id']}/units").json()["data"]
    ids["unit-groups/units"] = [each["id"]]
    box = {"name": "box", "quantity": "12"}
    made("unit-groups/units", f"/unit-groups/{group['id']}/units", box)
    product = made(
        "products",
        "/products",
        {
            "name": "Widget",
            "product_number": "SKU-1",
            "unit_group_id": group["id"],
            "default_unit_id": each["id"],
            "list_price": "10.00",
        },
    )
    prices = made("price-lists", "/price-lists", {"name": "Retail", "currency": "EUR"})
    item = {"product_id": product["id"], "unit_id": each["id"], "amount": "9.00"}
    made("price-lists/items", f"/price-lists/{prices['id']}/items", item)
    colour = {"name": "Colour", "data_type": "choice", "options": ["Oak"], "default_value": "Oak"}
    made("products/properties", f"/products/{product['id']}/properties", colour)
    lamp = {**product, "name": "Lamp", "product_number": "SKU-2"}
    lamp = made("products", "/products", {k: lamp[k] for k in PRODUCT_FIELDS})
    accessory = {"related_product_id": lamp["id"], "relationship_type": "accessory"}
    related = f"/products/{product['id']}/related"
    made("products/related", related, accessory, key="relationship_id")
    account = made("accounts", "/accounts", {"name": "Contoso"})
    made("contacts", "/contacts", {"last_name": "Okafor", "parent_account_id": account["id"]})
    made("competitors", "/competitors", {"name": "Fabrikam"})
    made("teams", "/teams", {"name": "East"})
    made("users", "/users", {"name": "Ana", "email": "ana@example.com"})
    made("api-keys", "/api-keys", {"name": "sync"})

    for _ in range(3):
        lead = made("leads", "/leads", {"topic": "Desks", "last_name": "Okafor"})
        ids.setdefault("deals", []).append(lead["deal_id"])
    deal = client.post(f"/leads/{lead['id']}/qualify", json={"existing_account_id": account["id"]})
    opportunity = deal.json()["opportunity"]
    ids["opportunities"] = [opportunity["id"]]
    line = {"product_id": product["id"], "quantity": "2"}
    made("opportunities/lines", f"/opportunities/{opportunity['id']}/lines", line, key="record_id")
    for state in ("draft", "active", "accepted"):
        quote = made("quotes", f"/opportunities/{opportunity['id']}/quotes", {}, key="record_id")
        quote_id = quote["record_id"]
        [quote_line] = client.get(f"/quotes/{quote_id}/lines").json()
        ids.setdefault("quotes/lines", []).append(quote_line["id"])
        if state != "draft":
            client.post(f"/quotes/{quote_id}/activate")
        if state == "accepted":
            order = client.post(f"/quotes/{quote_id}/accept").json()["orders"][0]
            ids["orders"] = [order["id"]]
    other = {"lines": [{"write_in_description": "Setup", "quantity": "1", "price_per_unit": "5"}]}
    made("orders", "/orders", {**other, "account_id": account["id"]})
    invoice = made("invoices", f"/orders/{order['id']}/invoices", {}, key="record_id")
    made("invoices", "/invoices", {**other, "account_id": account["id"]})
    client.post(f"/invoices/{invoice['record_id']}/pay", json={"amount": "1.00"})
    ids["invoices/payments"] = [
        p["id"] for p in client.get(f"/invoices/{invoice['record_id']}/payments").json()
    ]
    task = {"subject": "Call", "regarding_type": "lead", "regarding_id": ids["leads"][0]}
    made("activities", "/activities", task)
    due = {"due_at": "2030-01-01T09:00:00Z", "subject": "Call back"}
    made("deals/follow-ups", f"/deals/{ids['deals'][0]}/follow-ups", due)
    return ids


def path_kinds(path: str) -> dict[str, str]:
    """Each path parameter's kind of record: the segment before it, with its parent's for a
    nested record (`/quotes/{record_id}/lines/{line_id}`: quotes, quotes/lines)."""
    segments = path.strip("/").split("/")
    kinds: dict[str, str] = {}
    for index, segment in enumerate(segments):
        if segment.startswith("{") and index > 0 and not segments[index - 1].startswith("{"):
            before = segments[index - 1]
            parent = segments[index - 3] if index >= 3 else None
            nested = f"{parent}/{before}" if parent and not parent.startswith("{") else None
            kinds[segment.strip("{}")] = nested or before
    return kinds


def real_ids(path: str, ids: dict[str, list[str]]) -> Any:
    """Path parameters of `path` drawn from the ids of real records of their kinds; None when
    the path names no kind the world has."""
    kinds = path_kinds(path)
    known = {name: ids[kind] for name, kind in kinds.items() if kind in ids}
    if not known:
        return None
    return st.fixed_dictionaries({name: st.sampled_from(v) for name, v in known.items()})


def cases_of(operation: Any, ids: dict[str, list[str]]) -> Any:
    """Valid and invalid cases of `operation`, on real records where its path names them."""

    def generated(path_parameters: dict[str, str] | None) -> Any:
        fixed = {"path_parameters": path_parameters} if path_parameters else {}
        return operation.as_strategy(GenerationMode.POSITIVE, **fixed) | operation.as_strategy(
            GenerationMode.NEGATIVE, **fixed
        )

    real = real_ids(operation.path, ids)
    return real.flatmap(generated) if real is not None else generated(None)


def on_real_records(schema: Any, ids: dict[str, list[str]]) -> None:
    """In stateful scenarios, a path parameter schemathesis generates (a scenario's first step,
    or one not taken from an earlier answer) names a real record three times in four; the
    fourth keeps what was generated (an unknown id, a malformed one)."""

    @schema.hook
    def flatmap_path_parameters(context: Any, generated: dict[str, Any] | None) -> Any:
        real = real_ids(context.operation.path, ids)
        if real is None:
            return st.just(generated)
        chosen = real.map(lambda picked: {**(generated or {}), **picked})
        return st.one_of(chosen, chosen, chosen, st.just(generated))


def as_served(app: Any) -> Any:
    """The app as a server runs it: an error it lets out after answering 500 (FastAPI answers,
    then raises for the server to log) ends there, so the client sees the 500, which the checks
    report with the request that caused it, instead of an exception in the middle of a run."""

    async def served(scope: Any, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception:
            if scope["type"] != "http":
                raise

    return served


def fuzz(app: Any, headers: dict[str, str]) -> Figures:
    """Runs in a thread of its own: schemathesis calls the app in-process (its ASGI client has
    an event loop of its own), while the test's loop runs the worker."""
    figures = Figures()
    app = as_served(app)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    client = asgi.get_client(app)
    client.headers.update(headers)
    ids = world(client)

    for result in schema.get_all_operations():
        if isinstance(result, Err):
            figures.failures.append(f"an operation schemathesis cannot read: {result.err()}")
            continue
        operation = result.ok()
        figures.operations += 1

        @hypothesis.given(case=cases_of(operation, ids))
        @quick(EXAMPLES)
        def each(case: Any) -> None:
            figures.check(case, case.call(session=client))

        each()

    on_real_records(schema, ids)

    class Scenarios(schema.as_state_machine()):  # type: ignore[misc]
        def call(self, case: Any, **kwargs: Any) -> Any:
            return case.call(session=client, **kwargs)

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            figures.check(case, response, stateful=True)

    # Hypothesis opens a run with its simplest scenario, the first rule that applies: each run
    # orders the operations a scenario may start from differently, so the runs start from
    # different records and walk different links.
    for seed in range(SCENARIOS):
        Scenarios.rule_order_seed = seed
        Scenarios.run(settings=quick(SCENARIOS_PER_RUN, STEPS))
    return figures


async def test_no_input_gets_a_server_error_or_an_answer_off_the_schema(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    settings = settings.model_copy(
        update={"temporal_address": dev_server.client.service_client.config.target_host}
    )
    app = create_app(settings)
    async with build_worker(dev_server.client, settings):
        figures = await asyncio.to_thread(fuzz, app, admin_headers(settings))
    print(figures.report())
    print("stateful scenarios reached:", ", ".join(sorted(figures.stateful_reached)))
    assert figures.operations >= 130
    assert figures.statuses[201] > 0, "no record was ever created: the run reached nothing"
    assert not figures.failures, "\n\n".join(figures.failures)
