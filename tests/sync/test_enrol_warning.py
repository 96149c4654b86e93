"""`scanner enroll` warns when the URL is plain http:// to anything but loopback (issue 13.8)."""

from __future__ import annotations

import pytest

from scanner.sync.enrolment import plain_http_warning


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5:8000", "http://tickets.example.org", "HTTP://[2001:db8::1]/"]
)
def test_plain_http_to_another_machine_is_warned(url: str) -> None:
    warning = plain_http_warning(url)
    assert warning is not None and "https://" in warning and "unencrypted" in warning


@pytest.mark.parametrize(
    "url",
    [
        "https://tickets.example.org",
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]",
    ],
)
def test_https_and_loopback_are_quiet(url: str) -> None:
    assert plain_http_warning(url) is None
