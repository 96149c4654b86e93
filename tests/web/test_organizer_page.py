"""Done when (issue 23): an organizer signs in, sees a door's admission appear without
reloading within 2 s of the upload, revokes a device (its next sync is refused with
device_revoked) and downloads all three formats; a wrong token, a missing CSRF token and a
cross-site POST are refused."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from server_stub.testing import LiveServer, SeededEvent, free_port
from tests.server.helpers import enroll

Site = tuple[LiveServer, SeededEvent]
FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"}).then(async r => {
  const body = new Uint8Array(await r.arrayBuffer());
  done([r.status, r.headers.get("content-type"), body.length, Array.from(body.slice(0, 4))]);
}).catch(e => done([0, String(e), 0, []]));
"""
POST = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {method: "POST", credentials: "same-origin",
  headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: arguments[1],
  redirect: "manual"}).then(r => done(r.status)).catch(e => done(String(e)));
"""


def sign_in(driver: WebDriver, server: LiveServer, token: str) -> None:
    driver.get(f"{server.url}/organizer")
    driver.find_element(By.ID, "token").send_keys(token)
    submit(driver, "sign-in")


def submit(driver: WebDriver, button_id: str) -> None:
    """Click a form's button and wait for the answer's page to replace this one."""
    button = driver.find_element(By.ID, button_id)
    button.click()
    WebDriverWait(driver, 10).until(staleness_of(button))


def text_of(driver: WebDriver, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def test_an_organizer_follows_a_door_live_revokes_it_and_downloads_reports(
    browser: WebDriver, site: Site
) -> None:
    server, event = site
    driver = browser
    sign_in(driver, server, event.organizer_token[:-2] + "xx")
    assert "That token is unknown or revoked." in driver.page_source
    sign_in(driver, server, event.organizer_token)
    assert text_of(driver, "fig-admitted").startswith("0 / 20")
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.getElementById('live').dataset.stream_open")
    )
    driver.execute_script("window.notReloaded = true")
    with enroll(server, event, "north", name="North laptop") as door:
        door.upload(door.entry(event.ticket_ids[0], offline=False))
        uploaded = time.monotonic()
        # the live part is replaced while it is read: a stale element is read again
        WebDriverWait(
            driver, 2, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]
        ).until(lambda d: text_of(d, "fig-admitted").startswith("1 / 20"))
        assert time.monotonic() - uploaded <= 2.0
        assert driver.execute_script("return window.notReloaded") is True  # no reload
        assert "north" in text_of(driver, "by-door")

        driver.get(f"{server.url}/organizer/devices")
        assert "North laptop" in text_of(driver, "devices")
        submit(driver, f"revoke-{door.device_id}")  # click one
        assert "device_revoked" in text_of(driver, "revoke-warning")
        submit(driver, "confirm-revoke")  # click two
        assert "revoked" in text_of(driver, f"device-{door.device_id}")
        answer = door.client.post(
            f"/events/{event.event_id}/checkins",
            json={"entries": [door.entry(event.ticket_ids[1])]},
        )
        assert answer.status_code == 401 and answer.json()["reason"] == "device_revoked"

    driver.get(f"{server.url}/organizer/downloads")
    magic = {
        "csv": [0xEF, 0xBB, 0xBF],
        "xlsx": [0x50, 0x4B, 0x03, 0x04],
        "pdf": [0x25, 0x50, 0x44, 0x46],
    }
    for link in ("dl-scan-log-csv", "dl-full-xlsx", "dl-full-pdf"):
        href = driver.find_element(By.ID, link).get_attribute("href")
        status, media, size, head = driver.execute_async_script(FETCH, href)
        fmt = href.rsplit(".", 1)[1]
        assert status == 200 and size > 100, (href, status, media)
        assert head[: len(magic[fmt])] == magic[fmt]


def test_changes_without_the_form_token_or_from_another_site_are_refused(
    browser: WebDriver, site: Site
) -> None:
    server, event = site
    driver = browser
    with enroll(server, event, "south") as door:
        device = door.device_id
    sign_in(driver, server, event.organizer_token)
    revoke = f"{server.url}/organizer/devices/{device}/revoke"
    assert driver.execute_async_script(POST, revoke, "") == 403  # no CSRF token
    assert driver.execute_async_script(POST, revoke, "csrf=forged") == 403
    with another_site(revoke) as attacker:  # a page elsewhere posts the form, cookie and all
        driver.get(attacker)
        WebDriverWait(driver, 10).until(lambda d: "organizer" in d.current_url)
        assert "Requests from other sites are refused." in driver.page_source
    # the real page's form still works, and nothing was revoked meanwhile
    driver.get(f"{server.url}/organizer/devices")
    assert "revoked" not in text_of(driver, f"device-{device}")
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    assert all(c.get("httpOnly") for c in driver.get_cookies() if c["name"] == "organizer_session")
    csrf = driver.find_element(By.NAME, "csrf").get_attribute("value")
    forged = httpx.post(revoke, data={"csrf": csrf}, cookies=cookies,
                        headers={"Origin": "http://evil.example"})  # fmt: skip
    assert forged.status_code == 403  # the right token, from the wrong origin


@contextmanager
def another_site(target: str) -> Iterator[str]:
    """A page on another origin whose form posts to `target` as soon as it loads."""
    page = (f'<form id="f" method="post" action="{target}"><input name="csrf" value="x"></form>'
            "<script>document.getElementById('f').submit()</script>").encode()  # fmt: skip

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_args: Any) -> None:
            pass

    port = free_port()
    # threads: the browser keeps idle connections open, which would hold up a one-thread server
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"  # same site, another origin: the cookie goes along
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_page_speaks_the_browsers_language_and_has_a_switch(
    browser: WebDriver, site: Site, lang: str
) -> None:
    server, _event = site
    browser.get(f"{server.url}/organizer?lang={lang}")
    expected = {"en": "Sign in", "de": "Anmelden"}[lang]
    assert browser.find_element(By.ID, "sign-in").text == expected
    browser.get(f"{server.url}/organizer")  # remembered
    assert browser.find_element(By.ID, "sign-in").text == expected
