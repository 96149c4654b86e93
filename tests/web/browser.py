"""Debian's chromium, headless, through /usr/bin/chromedriver (the tests and the screenshots)."""

from __future__ import annotations

from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")  # fmt: skip
LAPTOP, PHONE = (1280, 900), (390, 844)


def missing() -> str | None:
    """Why there is no browser to drive, in one line; None when there is."""
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return None
    return "browser tests skipped: chromium and chromium-driver are not installed"


def chromium(profile: Path, size: tuple[int, int] = LAPTOP, lang: str = "en") -> WebDriver:
    """A fresh browser with its own profile folder (`lang`: what it asks pages for)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.add_argument(f"--lang={lang}")
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
