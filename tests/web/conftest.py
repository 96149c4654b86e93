"""The organizer's page in a real browser: Debian's chromium, headless, driven by Selenium
through /usr/bin/chromedriver. `make test` installs both when it can; without them these tests
skip with one line saying so."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")  # fmt: skip
LAPTOP, PHONE = (1280, 900), (390, 844)


def _browser_missing() -> str | None:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        return "browser tests skipped: chromium and chromium-driver are not installed"
    return None


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[LiveServer, SeededEvent]]:
    with live_server(sqlite_url(tmp_path)) as server:
        yield server, seed_event(server.database_url, timezone="Europe/Berlin")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    missing = _browser_missing()
    if missing:
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tmp_path / "chromium-profile"
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={LAPTOP[0]},{LAPTOP[1]}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
