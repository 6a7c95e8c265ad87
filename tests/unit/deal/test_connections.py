"""Competitors and stakeholders on a deal (models/deal/connections.py): linked and unlinked while
the opportunity is open, known to the deal's snapshot; a lost deal links the competitor it names."""

import pytest

from models.connection import OpportunityCompetitorRecord, StakeholderRecord, StakeholderRole
from models.deal.connections import (
    AddStakeholder,
    LinkCompetitor,
    RemoveStakeholder,
    UnlinkCompetitor,
    check_add_stakeholder,
    check_link_competitor,
    check_remove_stakeholder,
    check_unlink_competitor,
)
from models.deal.opportunity import Lose
from models.errors import IllegalTransition, InvalidField, NotFound
from models.opportunity import OpportunityState, OpportunityStatus
from tests.unit.deal.builders import (
    DEAL_ID,
    OWNER,
    TODAY,
    FakeSharedRecords,
    apply,
    lead_deal,
    qualified_deal,
    run,
    step,
    the,
)


def test_a_linked_competitor_is_on_the_deal_and_in_its_snapshot() -> None:
    shared = FakeSharedRecords()
    contoso = shared.add_competitor()
    deal = qualified_deal()
    effect = apply(deal, LinkCompetitor(competitor_id=contoso), step(shared=shared))

    (link,) = the(effect.created, OpportunityCompetitorRecord)
    assert (link.deal_id, link.competitor_id) == (DEAL_ID, contoso)
    assert deal.opportunity is not None
    assert (link.opportunity_id, link.owner_id) == (deal.opportunity.id, OWNER)
    assert (effect.record, effect.record_id) == ("opportunity_competitor", link.id)
    after = deal.after(effect)
    assert after.snapshot().competitor_ids == [contoso]
    assert [c.competitor_id for c in after.documents().competitors] == [contoso]


def test_a_competitor_is_linked_once() -> None:
    shared = FakeSharedRecords()
    contoso = shared.add_competitor()
    deal = run(qualified_deal(), LinkCompetitor(competitor_id=contoso), shared=shared)
    with pytest.raises(IllegalTransition) as refused:
        check_link_competitor(deal.snapshot(), LinkCompetitor(competitor_id=contoso), TODAY)
    assert refused.value.rule == "the competitor is already linked"


def test_only_a_known_active_competitor_can_be_linked() -> None:
    shared = FakeSharedRecords()
    retired = shared.add_competitor(active=False)
    with pytest.raises(InvalidField) as refused:
        apply(qualified_deal(), LinkCompetitor(competitor_id=retired), step(shared=shared))
    assert refused.value.field == "competitor_id"


def test_competitors_are_linked_only_to_an_open_opportunity() -> None:
    closed = qualified_deal(opportunity={"state": OpportunityState.won})
    with pytest.raises(IllegalTransition):
        check_link_competitor(closed.snapshot(), LinkCompetitor(competitor_id=OWNER), TODAY)
    with pytest.raises(IllegalTransition):
        check_link_competitor(lead_deal().snapshot(), LinkCompetitor(competitor_id=OWNER), TODAY)


def test_an_unlinked_competitor_leaves_the_deal() -> None:
    shared = FakeSharedRecords()
    contoso, fabrikam = shared.add_competitor(), shared.add_competitor()
    deal = run(
        qualified_deal(),
        LinkCompetitor(competitor_id=contoso),
        LinkCompetitor(competitor_id=fabrikam),
        shared=shared,
    )
    effect = apply(deal, UnlinkCompetitor(competitor_id=contoso))
    (removed,) = the(effect.removed, OpportunityCompetitorRecord)
    assert removed.competitor_id == contoso
    assert deal.after(effect).snapshot().competitor_ids == [fabrikam]


def test_a_competitor_not_linked_cannot_be_unlinked() -> None:
    with pytest.raises(NotFound):
        check_unlink_competitor(
            qualified_deal().snapshot(), UnlinkCompetitor(competitor_id=OWNER), TODAY
        )


def test_a_deal_lost_to_a_competitor_not_linked_links_it() -> None:
    shared = FakeSharedRecords()
    contoso = shared.add_competitor()
    deal = qualified_deal()
    effect = apply(
        deal, Lose(reason=OpportunityStatus.out_sold, competitor_id=contoso), step(shared=shared)
    )
    (link,) = the(effect.created, OpportunityCompetitorRecord)
    assert link.competitor_id == contoso
    assert deal.after(effect).snapshot().competitor_ids == [contoso]


def test_a_deal_lost_to_a_linked_competitor_links_it_once() -> None:
    shared = FakeSharedRecords()
    contoso = shared.add_competitor()
    deal = run(qualified_deal(), LinkCompetitor(competitor_id=contoso), shared=shared)
    effect = apply(
        deal, Lose(reason=OpportunityStatus.out_sold, competitor_id=contoso), step(shared=shared)
    )
    assert the(effect.created, OpportunityCompetitorRecord) == []
    assert deal.after(effect).snapshot().competitor_ids == [contoso]


def test_a_deal_cannot_be_lost_to_an_unknown_competitor() -> None:
    with pytest.raises(InvalidField) as refused:
        apply(
            qualified_deal(), Lose(reason=OpportunityStatus.out_sold, competitor_id=OWNER), step()
        )
    assert refused.value.field == "competitor_id"


def test_a_stakeholder_is_a_contact_on_the_opportunity_in_a_role() -> None:
    shared = FakeSharedRecords()
    sam = shared.add_contact("Okafor")
    deal = qualified_deal()
    action = AddStakeholder(contact_id=sam.id, role=StakeholderRole.decision_maker)
    effect = apply(deal, action, step(shared=shared))

    (stakeholder,) = the(effect.created, StakeholderRecord)
    assert (stakeholder.contact_id, stakeholder.role) == (sam.id, StakeholderRole.decision_maker)
    after = deal.after(effect)
    (known,) = after.snapshot().stakeholders
    assert (known.contact_id, known.role) == (sam.id, StakeholderRole.decision_maker)
    assert [s.contact_id for s in after.documents().stakeholders] == [sam.id]


def test_a_contact_is_a_stakeholder_once() -> None:
    shared = FakeSharedRecords()
    sam = shared.add_contact("Okafor")
    deal = run(qualified_deal(), AddStakeholder(contact_id=sam.id), shared=shared)
    with pytest.raises(IllegalTransition):
        check_add_stakeholder(deal.snapshot(), AddStakeholder(contact_id=sam.id), TODAY)


def test_only_an_active_contact_can_be_a_stakeholder() -> None:
    shared = FakeSharedRecords()
    gone = shared.add_contact("Gone", active=False)
    with pytest.raises(InvalidField) as refused:
        apply(qualified_deal(), AddStakeholder(contact_id=gone.id), step(shared=shared))
    assert refused.value.field == "contact_id"


def test_a_removed_stakeholder_leaves_the_deal() -> None:
    shared = FakeSharedRecords()
    sam = shared.add_contact("Okafor")
    deal = run(qualified_deal(), AddStakeholder(contact_id=sam.id), shared=shared)
    effect = apply(deal, RemoveStakeholder(contact_id=sam.id))
    assert [s.contact_id for s in the(effect.removed, StakeholderRecord)] == [sam.id]
    assert deal.after(effect).snapshot().stakeholders == []


def test_a_contact_not_a_stakeholder_cannot_be_removed() -> None:
    with pytest.raises(NotFound):
        check_remove_stakeholder(
            qualified_deal().snapshot(), RemoveStakeholder(contact_id=OWNER), TODAY
        )
