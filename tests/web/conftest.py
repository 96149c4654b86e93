"""The organizer's page in a real browser: Debian's chromium, headless, driven by Selenium
through /usr/bin/chromedriver. `make test` installs both when it can; without them these tests
skip with one line saying so."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url
from tests.web.browser import chromium, missing


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[LiveServer, SeededEvent]]:
    with live_server(sqlite_url(tmp_path)) as server:
        yield server, seed_event(server.database_url, timezone="Europe/Berlin")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    why = missing()
    if why:
        pytest.skip(why)
    profile = tmp_path / "chromium-profile"
    driver = chromium(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
