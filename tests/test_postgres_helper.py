"""The throwaway PostgreSQL cluster's helper says plainly when the server binaries are missing."""

from pathlib import Path

import pytest

from core import postgres


def test_missing_binaries_are_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_config
    monkeypatch.setattr(postgres, "DEBIAN_BINDIRS", str(tmp_path / "postgresql" / "*" / "bin"))
    (tmp_path / "postgresql" / "15" / "bin").mkdir(parents=True)  # a client-only install
    with pytest.raises(postgres.PostgresMissing, match="initdb, postgres"):
        postgres.find_bindir()
