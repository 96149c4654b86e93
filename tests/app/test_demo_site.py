"""The demo's companion API keeps its server key in its own folder: `scanner window --demo`
never makes or reads the user's server key (docs/server.md, "The server key")."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from scanner.app.demo_site import demo_site


def test_the_demo_server_keeps_its_key_in_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users_key = tmp_path / "config" / "server.key"
    monkeypatch.setenv("SCANNER_SERVER_KEY_FILE", str(users_key))
    with demo_site(tmp_path / "demo", per_type=3) as site:
        assert httpx.get(f"{site.url}/api/v1/health", timeout=30).status_code == 200
    demo_key = tmp_path / "demo" / "server.key"
    assert demo_key.is_file() and oct(os.stat(demo_key).st_mode & 0o777) == "0o600"
    assert not users_key.exists()
