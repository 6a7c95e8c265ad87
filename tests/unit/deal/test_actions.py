"""The table of every deal action (models/deal/actions.py): each name leads to its input, its rule
and its effect, of that name; the workflow's update carries any of the inputs."""

import inspect
import uuid
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter

from models.deal.actions import ACTIONS, AUTOMATIC_ACTIONS, DealAction, check_action
from models.deal.lead import CreateLead, Disqualify
from models.deal.ownership import Assign
from models.deal.quote import Accept
from models.errors import IllegalTransition, NotFound
from models.lead import LeadCreate, LeadStatus
from tests.unit.deal.builders import TODAY, lead_deal, qualified_deal

NAMES = sorted(ACTIONS)


def test_every_action_has_a_rule() -> None:
    assert all(entry.check.__name__ == f"check_{name}" for name, entry in ACTIONS.items())


def test_every_action_has_an_effect() -> None:
    assert all(entry.apply.__name__ == f"apply_{name}" for name, entry in ACTIONS.items())


@pytest.mark.parametrize("name", NAMES)
def test_an_actions_input_rule_and_effect_live_in_one_module_under_its_name(name: str) -> None:
    entry = ACTIONS[name]
    assert entry.input.model_fields["action"].default == name
    module = inspect.getmodule(entry.input)
    assert module is not None
    assert getattr(module, f"check_{name}") is entry.check
    assert getattr(module, f"apply_{name}") is entry.apply


# What each input needs besides its name, so that every one can be sent through the union.
REQUIRED: dict[str, dict[str, Any]] = {
    "create_lead": {"lead_id": uuid.uuid4(), "lead": {"topic": "t", "last_name": "x"}},
    "update_lead": {"changes": {"phone": "1"}},
    "disqualify": {"reason": "lost"},
    "lose": {"reason": "canceled"},
    "create_opportunity": {"opportunity_id": uuid.uuid4(), "opportunity": {"name": "x"}},
    "update_opportunity": {"changes": {"probability": 10}},
    "add_line": {
        "document_id": uuid.uuid4(),
        "line": {"write_in_description": "x", "quantity": "1", "price_per_unit": "2"},
    },
    "link_competitor": {"competitor_id": uuid.uuid4()},
    "unlink_competitor": {"competitor_id": uuid.uuid4()},
    "add_stakeholder": {"contact_id": uuid.uuid4(), "role": "champion"},
    "remove_stakeholder": {"contact_id": uuid.uuid4()},
    "mark_step": {"step": "present_proposal"},
    "choose_process": {"process_id": uuid.uuid4()},
    "update_line": {"line_id": uuid.uuid4(), "changes": {"quantity": "2"}},
    "remove_line": {"line_id": uuid.uuid4()},
    "update_quote": {"quote_id": uuid.uuid4(), "changes": {"name": "x"}},
    "activate": {"quote_id": uuid.uuid4()},
    "revise": {"quote_id": uuid.uuid4()},
    "close_quote": {"quote_id": uuid.uuid4()},
    "accept": {"quote_id": uuid.uuid4()},
    "expire_quote": {"quote_id": uuid.uuid4()},
    "create_order": {
        "order_id": uuid.uuid4(),
        "order": {},
        "lines": [{"write_in_description": "x", "quantity": "1", "price_per_unit": "2"}],
    },
    "submit_order": {"order_id": uuid.uuid4()},
    "fulfill": {"order_id": uuid.uuid4()},
    "cancel_order": {"order_id": uuid.uuid4()},
    "invoice": {"order_id": uuid.uuid4(), "percent": "30"},
    "hold_order": {"order_id": uuid.uuid4(), "reason": "credit check"},
    "resume_order": {"order_id": uuid.uuid4()},
    "set_payment_schedule": {
        "order_id": uuid.uuid4(),
        "parts": [{"name": "All", "percent": "100", "days_after": 30}],
    },
    "bill_part": {"order_id": uuid.uuid4(), "part": 1},
    "create_invoice": {
        "invoice_id": uuid.uuid4(),
        "invoice": {},
        "lines": [{"write_in_description": "x", "quantity": "1", "price_per_unit": "2"}],
    },
    "pay": {"invoice_id": uuid.uuid4(), "payment": {"amount": "10.00"}},
    "cancel_payment": {"payment_id": uuid.uuid4()},
    "cancel_invoice": {"invoice_id": uuid.uuid4()},
    "mark_overdue": {"invoice_id": uuid.uuid4()},
    "lock_pricing": {"document_id": uuid.uuid4()},
    "update_order": {"order_id": uuid.uuid4(), "changes": {"freight_amount": "5.00"}},
    "update_invoice": {"invoice_id": uuid.uuid4(), "changes": {"name": "Desks"}},
    "unlock_pricing": {"document_id": uuid.uuid4()},
    "recalculate_pricing": {
        "document_id": uuid.uuid4(),
        "lines": [{"line_id": uuid.uuid4(), "price_per_unit": "12.50"}],
    },
    "assign": {"owner_id": uuid.uuid4(), "record": "quote", "record_id": uuid.uuid4()},
}


@pytest.mark.parametrize("name", NAMES)
def test_the_workflows_update_carries_each_action_and_reads_it_back_the_same(name: str) -> None:
    assert set(REQUIRED) <= set(ACTIONS)
    adapter: TypeAdapter[Any] = TypeAdapter(DealAction)
    sent = ACTIONS[name].input.model_validate({"action": name, **REQUIRED.get(name, {})})
    received = adapter.validate_json(adapter.dump_json(sent))
    assert type(received) is ACTIONS[name].input
    assert received == sent


def test_the_update_tells_the_actions_apart_by_name() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(DealAction)
    received = adapter.validate_python({"action": "pay", **REQUIRED["pay"]})
    assert received.payment.amount == Decimal("10.00")
    with pytest.raises(ValueError, match="action"):
        adapter.validate_python({"action": "no_such_action"})


def test_the_automatic_actions_are_deal_actions() -> None:
    assert set(ACTIONS) >= AUTOMATIC_ACTIONS
    assert {"flag_stale", "expire_quote", "mark_overdue"} == AUTOMATIC_ACTIONS


def test_assign_is_a_deal_action_of_its_own_name() -> None:
    assert ACTIONS["assign"].input is Assign
    assert "assign" not in AUTOMATIC_ACTIONS  # a person's act: the follow-up clocks start over


def test_check_action_runs_the_rule_of_the_actions_name() -> None:
    check_action(lead_deal().snapshot(), Disqualify(reason=LeadStatus.lost), TODAY)
    with pytest.raises(IllegalTransition, match="already has records"):
        check_action(
            lead_deal().snapshot(),
            CreateLead(lead_id=uuid.uuid4(), lead=LeadCreate(topic="t", last_name="x")),
            TODAY,
        )
    with pytest.raises(NotFound):
        check_action(qualified_deal().snapshot(), Accept(quote_id=uuid.uuid4()), TODAY)
