"""The organizers' page over plain HTTP, on both backends: the session cookie's flags (Secure
behind TLS as the settings decide), rate-limited sign-in, no token in a log, what a door tells
the device list, and the words table complete in German."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from server_stub.core.config import Settings
from server_stub.testing import LiveServer, SeededEvent, live_server, seed_event, sqlite_url
from server_stub.web.words import GERMAN, SENTENCES
from tests.server.helpers import enroll, page_session


def _form(client: httpx.Client) -> str:
    page = client.get("/organizer")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and found is not None
    return found.group(1)


def test_sign_in_sets_a_strict_http_only_cookie_and_logs_no_token(
    server: LiveServer, event: SeededEvent, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with httpx.Client(base_url=server.url) as browser:
        csrf = _form(browser)
        answer = browser.post("/organizer/sign-in", data={"token": event.organizer_token,
                                                          "csrf": csrf})  # fmt: skip
        assert answer.status_code == 303
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        assert event.organizer_token not in answer.headers["set-cookie"]
        live = browser.get("/organizer")
        assert 'id="live"' in live.text and "Test event" in live.text
        assert "default-src 'self'" in live.headers["content-security-policy"]
    secret = event.organizer_token.split(".", 1)[1]
    assert secret not in caplog.text


def test_behind_a_trusted_tls_proxy_the_cookie_is_secure(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    trusted = Settings(database_url=url, trust_forwarded_proto=True)
    with live_server(url, settings=trusted) as server:
        event = seed_event(server.database_url)
        https = {"X-Forwarded-Proto": "https"}
        with httpx.Client(base_url=server.url, headers=https) as browser:
            form = browser.get("/organizer")
            assert "secure" in form.headers["set-cookie"].lower()
            found = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert found is not None
            # httpx keeps Secure cookies for https; the proxy's browser would send it back
            anchor = form.headers["set-cookie"].split(";")[0]
            answer = browser.post(
                "/organizer/sign-in",
                data={"token": event.organizer_token, "csrf": found.group(1)},
                headers={"Cookie": anchor},
            )
            assert answer.status_code == 303 and "secure" in answer.headers["set-cookie"].lower()


def test_wrong_tokens_are_rate_limited_per_address(server: LiveServer, event: SeededEvent) -> None:
    with httpx.Client(base_url=server.url) as browser:
        csrf = _form(browser)
        statuses = [
            browser.post(
                "/organizer/sign-in", data={"token": "o123.wrong", "csrf": csrf}
            ).status_code
            for _ in range(12)
        ]
        assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
        right = browser.post(
            "/organizer/sign-in", data={"token": event.organizer_token, "csrf": csrf}
        )
        assert right.status_code == 429  # even the right token waits: guessing is what is slowed


def test_a_door_upload_tells_the_device_list_its_version_backlog_and_clock(
    server: LiveServer, event: SeededEvent
) -> None:
    ahead = datetime.now(UTC) + timedelta(seconds=120)
    with enroll(server, event, "north", name="North laptop") as door:
        door.client.headers.update({"User-Agent": "door-scanner/1.2.3", "Door-Waiting": "7",
                                    "Date": format_datetime(ahead, usegmt=True)})  # fmt: skip
        door.upload(door.entry(event.ticket_ids[0]))
        device = door.device_id
    cookie = page_session(server, event.organizer_token)
    with httpx.Client(base_url=server.url, cookies={"organizer_session": cookie}) as browser:
        page = browser.get("/organizer/devices").text
    row = re.search(rf'<tr id="device-{device}">(.*?)</tr>', page)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[1:2] == ["North laptop"] and cells[3:5] == ["1.2.3", "7"]
    offset = int(cells[5].removesuffix(" s"))
    assert 110 <= offset <= 121  # the Date header has whole seconds; the request took a moment


def test_every_word_of_the_page_has_its_german() -> None:
    sources = Path("server_stub").glob("**/*.py")
    used = set()
    for source in sources:
        used |= set(re.findall(r'\bw\("([^"]+)"\)', source.read_text(encoding="utf-8")))
    missing = sorted(u for u in used if u not in GERMAN and u not in SENTENCES)
    assert not missing, missing


def test_refusals_on_the_german_page_carry_the_doors_german_words(
    server: LiveServer, event: SeededEvent
) -> None:
    with enroll(server, event, "north") as door:
        door.upload(door.entry(event.ticket_ids[0], outcome="rejected", reason="wrong_day"))
    cookie = page_session(server, event.organizer_token)
    with httpx.Client(base_url=server.url, cookies={"organizer_session": cookie}) as browser:
        german = browser.get("/organizer", params={"lang": "de"}).text
        english = browser.get("/organizer", params={"lang": "en"}).text
    assert "Ticket heute nicht gültig" in german and "Ticket not valid today" not in german
    assert "Ticket not valid today" in english
