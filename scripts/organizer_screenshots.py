"""Screenshots of the organizers' page (docs/screenshots/organizer-*.png): a demo event with two
doors an hour into the doors' opening, in Debian's chromium at laptop and phone widths, in
English and German. `make screenshots` runs it; it needs chromium and chromium-driver."""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url
from tests.server.helpers import enroll
from tests.web.browser import LAPTOP, PHONE, chromium, missing

SIZES = {"laptop": LAPTOP, "phone": PHONE}


def play(server: LiveServer, event: SeededEvent) -> str:
    """Two doors admit people over the last hour, one refusal, one double admission; returns
    the north door's device id."""
    start = datetime.now(UTC) - timedelta(minutes=70)
    t = event.ticket_ids
    with (
        enroll(server, event, "north", name="North gate laptop") as north,
        enroll(server, event, "south", name="South kiosk") as south,
    ):
        # what a door's sync client sends with its uploads (docs/organizer.md, Devices)
        north.client.headers.update({"User-Agent": "door-scanner/0.9.0", "Door-Waiting": "0"})
        south.client.headers.update({"User-Agent": "door-scanner/0.9.0", "Door-Waiting": "3"})
        south.client.headers["Date"] = format_datetime(
            datetime.now(UTC) + timedelta(seconds=95), usegmt=True
        )
        for door, tickets, step in ((north, t[:14], 4.5), (south, t[14:24], 6.0)):
            entries: list[dict[str, Any]] = []
            for i, ticket in enumerate(tickets):
                at = start + timedelta(minutes=i * step)
                entries.append(door.entry(ticket, scanned_at=at.isoformat(), offline=False))
            door.upload(*entries)
        late = (start + timedelta(minutes=50)).isoformat()
        south.upload(
            south.entry(t[0], scanned_at=late, offline=True),  # north let t[0] in before
            south.entry(t[30], scanned_at=late, outcome="rejected", reason="canceled"),
        )
        return north.device_id


def shoot(driver: WebDriver, out: Path) -> None:
    """The whole page: the window as tall as the document."""
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 140, 4000))
    driver.save_screenshot(str(out))
    print(out)


def main(folder: Path) -> None:
    why = missing()
    if why:
        sys.exit(why)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, live_server(sqlite_url(Path(tmp))) as server:
        event = seed_event(
            server.database_url, tickets_per_type=20, timezone="Europe/Berlin",
            ticket_types=("ga", "vip"),
        )  # fmt: skip
        device = play(server, event)
        for lang in ("en", "de"):
            for size_name, size in SIZES.items():
                profile = Path(tmp) / f"profile-{lang}-{size_name}"
                driver = chromium(profile, size, lang)
                try:
                    driver.get(f"{server.url}/organizer")
                    driver.find_element(By.ID, "token").send_keys(event.organizer_token)
                    driver.find_element(By.ID, "sign-in").click()
                    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "live"))
                    shoot(driver, folder / f"organizer-live-{lang}-{size_name}.png")
                    driver.set_window_size(*size)
                    driver.get(f"{server.url}/organizer/devices")
                    shoot(driver, folder / f"organizer-devices-{lang}-{size_name}.png")
                    if size_name == "phone":
                        driver.set_window_size(*size)
                        driver.get(f"{server.url}/organizer/devices/{device}/revoke")
                        shoot(driver, folder / f"organizer-revoke-{lang}-phone.png")
                finally:
                    driver.quit()
                    shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
