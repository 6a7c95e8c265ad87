"""The custom search attributes deals are found by, in Temporal visibility and the UI.

Registered on the dev server by `make run`; on a cluster, create them once with
`temporal operator search-attribute create`. No personal data here: visibility is not encrypted.
"""

from temporalio.common import SearchAttributeIndexedValueType, SearchAttributeKey

DEAL_STAGE = SearchAttributeKey.for_keyword("DealStage")
DEAL_OWNER = SearchAttributeKey.for_keyword("DealOwner")
DEAL_ACCOUNT_ID = SearchAttributeKey.for_keyword("DealAccountId")
DEAL_VALUE = SearchAttributeKey.for_float("DealValue")
DEAL_LAST_TRANSITION_AT = SearchAttributeKey.for_datetime("DealLastTransitionAt")

ALL = (DEAL_STAGE, DEAL_OWNER, DEAL_ACCOUNT_ID, DEAL_VALUE, DEAL_LAST_TRANSITION_AT)

_CLI_TYPES = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.DOUBLE: "Double",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
}


def dev_server_args() -> list[str]:
    """`--search-attribute Name=Type` for each, as `temporal server start-dev` takes them."""
    args: list[str] = []
    for key in ALL:
        args += ["--search-attribute", f"{key.name}={_CLI_TYPES[key.indexed_value_type]}"]
    return args
