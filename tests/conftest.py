"""Top-level test set-up and shared fixtures.

Qt aborts with no summary when it finds no display, so default to the offscreen platform
before anything imports Qt.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests read English words unless they ask for another language (whatever the machine's locale).
os.environ["SCANNER_LANGUAGE"] = "en"
# The doors nearby are heard on loopback only: nothing a test does leaves this machine.
os.environ["SCANNER_PEER_INTERFACE"] = "loopback"
os.environ["LANGUAGE"] = "en"  # the system language the kiosk and window fall back to
# The device key that seals secrets: a test run never touches the user's own.
os.environ.setdefault("SCANNER_KEY_FILE", f"/tmp/door-scanner-tests-{os.getpid()}/device.key")
# ...nor the companion API's server key.
os.environ.setdefault(
    "SCANNER_SERVER_KEY_FILE", f"/tmp/door-scanner-tests-{os.getpid()}/server.key"
)
# ...nor the user's log folder.
os.environ.setdefault("SCANNER_LOG_DIR", f"/tmp/door-scanner-tests-{os.getpid()}/logs")

import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scanner.app.clock import FixedClock
from scanner.app.demo import DEMO_TIMEZONE, DemoEvent, make_event, write_snapshot
from scanner.app.door import Door, open_door
from scanner.store.store import Store

# A fixed evening of the demo event, so day rules and times are reproducible.
EVENT_NOW = datetime(2026, 5, 1, 19, 30, tzinfo=ZoneInfo(DEMO_TIMEZONE)).astimezone(UTC)


@pytest.fixture(scope="session")
def demo_event() -> DemoEvent:
    return make_event(200, seed=7)


@pytest.fixture(scope="session")
def snapshot_file(demo_event: DemoEvent, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshot") / "event.jsonl"
    day = EVENT_NOW.astimezone(ZoneInfo(DEMO_TIMEZONE)).date()
    return write_snapshot(demo_event, path, day, EVENT_NOW)


@pytest.fixture(scope="session")
def template_dir(
    demo_event: DemoEvent, snapshot_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A data directory with the demo event imported; tests get copies of it."""
    directory = tmp_path_factory.mktemp("template")
    store = Store(directory, synchronous=True)
    store.import_snapshot_file(snapshot_file, EVENT_NOW, vouched=demo_event.platform_fingerprint)
    store.close()
    return directory


@pytest.fixture
def data_dir(template_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(template_dir, target)
    return target


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(EVENT_NOW)


@pytest.fixture
def door(data_dir: Path, clock: FixedClock) -> Iterator[Door]:
    opened = open_door(data_dir, "Main entrance", clock=clock, operator="tester")
    yield opened
    opened.close()


LEFTOVER_GRACE_S = 10.0  # time a stopped thread gets to finish its last round


@pytest.fixture(autouse=True)
def no_thread_left_running() -> Iterator[None]:
    """Fail a test that leaves a thread running: a sync loop, camera thread, writer or server
    that outlives its test keeps touching files and sockets of the next one."""
    import threading

    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + LEFTOVER_GRACE_S
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in left:
        thread.join(max(0.0, deadline - time.monotonic()))
    still = [t.name for t in left if t.is_alive()]
    if still:
        pytest.fail(f"threads left running after the test: {', '.join(sorted(still))}")


@pytest.fixture(scope="session")
def loopback_multicast() -> Iterator[None]:
    """Multicast on the loopback interface, switched on for these tests when it is off (and
    off again after them); without root that cannot be done, and the tests say so."""
    from tests.peers.doors import can_switch_loopback_multicast, loopback_has_multicast

    if loopback_has_multicast():
        yield
        return
    if not can_switch_loopback_multicast():
        pytest.skip(
            "discovery is tested on loopback, whose multicast flag is off: switching it on"
            " (`ip link set lo multicast on`) needs root"
        )
    subprocess.run(["ip", "link", "set", "lo", "multicast", "on"], check=True)
    try:
        yield
    finally:
        subprocess.run(["ip", "link", "set", "lo", "multicast", "off"], check=False)
