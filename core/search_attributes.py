"""The custom search attributes deals are found by, in Temporal visibility and the UI.

Registered on the dev server by `make run`; on a cluster, create them once with
`temporal operator search-attribute create`. No personal data here: visibility is not encrypted.
"""

from typing import Any

from temporalio.common import SearchAttributeIndexedValueType, SearchAttributeKey

DEAL_STAGE = SearchAttributeKey.for_keyword("DealStage")
DEAL_OWNER = SearchAttributeKey.for_keyword("DealOwner")
DEAL_ACCOUNT_ID = SearchAttributeKey.for_keyword("DealAccountId")
DEAL_VALUE = SearchAttributeKey.for_float("DealValue")
DEAL_LAST_TRANSITION_AT = SearchAttributeKey.for_datetime("DealLastTransitionAt")
# The owner's team when the deal last changed, and the lead's source (a category, not a person).
DEAL_TEAM = SearchAttributeKey.for_keyword("DealTeam")
DEAL_LEAD_SOURCE = SearchAttributeKey.for_keyword("DealLeadSource")
# Set while a reminder's activities run (its kind), so ops find the deals that may have one
# failing and retrying without describing every running deal.
DEAL_REMINDER_RUNNING = SearchAttributeKey.for_keyword("DealReminderRunning")

ALL = (
    DEAL_STAGE,
    DEAL_OWNER,
    DEAL_ACCOUNT_ID,
    DEAL_VALUE,
    DEAL_LAST_TRANSITION_AT,
    DEAL_TEAM,
    DEAL_LEAD_SOURCE,
    DEAL_REMINDER_RUNNING,
)

_CLI_TYPES = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.DOUBLE: "Double",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
}


def cli_type(key: SearchAttributeKey[Any]) -> str:
    """The type's name as `temporal operator search-attribute create --type` takes it."""
    return _CLI_TYPES[key.indexed_value_type]


def dev_server_args() -> list[str]:
    """`--search-attribute Name=Type` for each, as `temporal server start-dev` takes them."""
    args: list[str] = []
    for key in ALL:
        args += ["--search-attribute", f"{key.name}={cli_type(key)}"]
    return args
