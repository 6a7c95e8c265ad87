"""The settings build the connection the worker, the API and the command line's server use:
plain for the dev server, TLS with the cluster's CA and a client certificate, or an API key."""

from pathlib import Path

import pytest
from pydantic import SecretStr

from core.settings import Settings
from core.temporal import connection_options


def test_the_dev_server_is_reached_in_plain_text() -> None:
    options = connection_options(Settings(temporal_address="localhost:7233"))
    assert (options.target_host, options.namespace, options.tls, options.api_key) == (
        "localhost:7233",
        "default",
        False,
        None,
    )


def test_a_cluster_is_reached_with_its_ca_and_a_client_certificate(tmp_path: Path) -> None:
    for name in ("ca.pem", "client.pem", "client.key"):
        (tmp_path / name).write_bytes(f"-----{name}-----".encode())
    options = connection_options(
        Settings(
            temporal_address="temporal.internal:7233",
            temporal_namespace="sales",
            temporal_tls_server_ca_cert=tmp_path / "ca.pem",
            temporal_tls_client_cert=tmp_path / "client.pem",
            temporal_tls_client_key=tmp_path / "client.key",
            temporal_tls_server_name="temporal.internal",
        )
    )
    assert options.namespace == "sales" and options.api_key is None
    assert not isinstance(options.tls, bool)
    assert options.tls.server_root_ca_cert == b"-----ca.pem-----"
    assert options.tls.client_cert == b"-----client.pem-----"
    assert options.tls.client_private_key == b"-----client.key-----"
    assert options.tls.domain == "temporal.internal"


def test_temporal_cloud_is_reached_with_an_api_key_over_tls() -> None:
    options = connection_options(
        Settings(
            temporal_address="eu-west-1.aws.api.temporal.io:7233",
            temporal_namespace="dealflow.a1b2c",
            temporal_api_key=SecretStr("key-123"),
        )
    )
    assert (options.tls, options.api_key, options.namespace) == (True, "key-123", "dealflow.a1b2c")


def test_a_client_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "client.pem").write_bytes(b"cert")
    with pytest.raises(ValueError, match="go together"):
        connection_options(Settings(temporal_tls_client_cert=tmp_path / "client.pem"))
