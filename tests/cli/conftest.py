"""Command-line tests run on the demo event's day: the CLI reads the real clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.run import event_today


@pytest.fixture
def data_dir(data_dir: Path) -> Path:
    return event_today(data_dir)
