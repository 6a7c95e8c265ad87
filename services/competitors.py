"""Competitors: the companies bidding for the same deals."""

from models.competitor import Competitor
from services.crud import Repository

competitors = Repository(
    Competitor,
    "competitor",
    sortable=frozenset({"name", "reported_revenue", "ticker_symbol"}),
    search=("name", "ticker_symbol"),
)
