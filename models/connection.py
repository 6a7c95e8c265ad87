"""Who else is on a deal: the competitors bidding for it and the customer's stakeholders.

Both are a deal's own records, linked to its opportunity (Dynamics: the opportunity's
competitors, and connections of contacts to it in a connection role), so only the deal's
workflow writes them, and its snapshot knows them (the "identify stakeholders" and "identify
competitors" process steps read them).
"""

import uuid
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, StrEnumType


class StakeholderRole(StrEnum):
    """Dynamics' connection roles of the Stakeholder category."""

    decision_maker = "decision_maker"
    economic_buyer = "economic_buyer"
    technical_buyer = "technical_buyer"
    influencer = "influencer"
    champion = "champion"
    end_user = "end_user"
    stakeholder = "stakeholder"


class OpportunityCompetitorFields(SQLModel):
    deal_id: str = Field(max_length=80, index=True)
    opportunity_id: uuid.UUID = Field(foreign_key="opportunity.id", index=True)
    competitor_id: uuid.UUID = Field(foreign_key="competitor.id", index=True)


class OpportunityCompetitor(OpportunityCompetitorFields, RecordTable, table=True):
    """A competitor linked to an opportunity: bidding for the same deal."""

    __table_args__ = (sa.UniqueConstraint("opportunity_id", "competitor_id"),)


class OpportunityCompetitorRecord(OpportunityCompetitorFields, RecordPublic):
    """A competitor's link to the deal as plain data: what the deal's actions read and return."""


class OpportunityCompetitorPublic(OpportunityCompetitorRecord):
    pass


class StakeholderFields(SQLModel):
    deal_id: str = Field(max_length=80, index=True)
    opportunity_id: uuid.UUID = Field(foreign_key="opportunity.id", index=True)
    contact_id: uuid.UUID = Field(foreign_key="contact.id", index=True)
    role: StakeholderRole = Field(sa_type=StrEnumType(StakeholderRole, 30))
    description: str | None = Field(default=None, max_length=500)


class Stakeholder(StakeholderFields, RecordTable, table=True):
    """A contact of the customer on an opportunity, in a role; one role per contact."""

    __table_args__ = (sa.UniqueConstraint("opportunity_id", "contact_id"),)


class StakeholderRecord(StakeholderFields, RecordPublic):
    """A stakeholder as plain data: what the deal's actions read and return."""


class StakeholderPublic(StakeholderRecord):
    pass
