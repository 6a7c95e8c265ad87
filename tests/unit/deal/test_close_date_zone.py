"""A deal closes on the organisation's date, not UTC's: won at 23:30 in New York on the last
day of the quarter (04:30 UTC the next day) it closed in that quarter."""

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from models.deal.opportunity import Lose, Win, apply_lose, apply_win
from models.deal.records import Step
from models.opportunity import OpportunityRecord, OpportunityStatus
from tests.unit.deal.builders import DEAL_ID, SELLER, FakeSharedRecords, qualified_deal

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
# 23:30 on 31 March in New York.
LATE_ON_THE_LAST_DAY = datetime(2027, 4, 1, 3, 30, tzinfo=UTC)


def in_zone(zone: ZoneInfo, at: datetime = LATE_ON_THE_LAST_DAY) -> Step:
    return Step(DEAL_ID, uuid.uuid4(), at, SELLER, FakeSharedRecords(), zone)


def test_won_late_in_the_evening_closes_on_that_days_date_in_the_organisations_zone() -> None:
    (won,) = apply_win(qualified_deal("100.00"), Win(), in_zone(NEW_YORK)).changed
    assert isinstance(won, OpportunityRecord)
    assert won.actual_close_date == date(2027, 3, 31)


def test_east_of_utc_the_same_moment_is_already_the_next_day() -> None:
    (won,) = apply_win(qualified_deal("100.00"), Win(), in_zone(TOKYO)).changed
    assert isinstance(won, OpportunityRecord)
    assert won.actual_close_date == date(2027, 4, 1)


def test_a_lost_deal_closes_on_the_organisations_date_too() -> None:
    (lost,) = apply_lose(
        qualified_deal("100.00"), Lose(reason=OpportunityStatus.out_sold), in_zone(NEW_YORK)
    ).changed
    assert isinstance(lost, OpportunityRecord)
    assert lost.actual_close_date == date(2027, 3, 31)


def test_a_close_date_given_is_kept_whatever_the_zone() -> None:
    action = Win(actual_close_date=date(2027, 4, 2))
    (won,) = apply_win(qualified_deal("100.00"), action, in_zone(NEW_YORK)).changed
    assert isinstance(won, OpportunityRecord)
    assert won.actual_close_date == date(2027, 4, 2)
