"""Our one translation system: gettext catalogues (English source strings, German `.po`/`.mo`
under `scanner/lang/locale`), read by the standard library and shared by the command line and
the Qt views, plus Babel's date and time formats. See docs/languages.md for why.

Words are chosen at the edge: the check-in core and the door session return reason codes and
English message ids; the window, the kiosk and the command line call `_()` when they show them.

    from scanner.lang import _, set_language
    set_language("de")
    _("Welcome, go ahead")  # "Willkommen, bitte eintreten"
"""

from __future__ import annotations

import gettext as _gettext
import locale
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time

DOMAIN = "scanner"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}  # what we ship
FLAGS: dict[str, str] = {"en": "🇬🇧", "de": "🇩🇪"}
# A test language: every translated string comes back between these marks, so a view's text
# without them was never passed through `_()`.
PSEUDO = "pseudo"
PSEUDO_MARKS = ("⟦", "⟧")

_lock = threading.Lock()
_current = SOURCE
_catalogue: _gettext.NullTranslations = _gettext.NullTranslations()
_listeners: list[Callable[[str], None]] = []


class _Pseudo(_gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"{PSEUDO_MARKS[0]}{message}{PSEUDO_MARKS[1]}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


def _load(language: str) -> _gettext.NullTranslations:
    if language == PSEUDO:
        return _Pseudo()
    if language == SOURCE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])


def normalise(tag: str | None) -> str | None:
    """ "de_AT.UTF-8", "de-CH", "DE" -> "de"; a language we do not ship -> None."""
    if not tag:
        return None
    code = tag.replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES or code == PSEUDO else None


def system_language() -> str:
    """The user's language from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) or the
    platform's locale; English when it is none we ship."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in os.environ.get(name, "").split(":"):
            found = normalise(tag)
            if found:
                return found
    try:
        found = normalise(locale.getlocale()[0])
    except ValueError:
        found = None
    return found or SOURCE


def choose(setting: str | None) -> str:
    """A language setting wins; else the system's."""
    return normalise(setting) or system_language()


def set_language(language: str | None) -> str:
    """Translate from now on into `language` (None: the system's); listeners hear of it."""
    global _current, _catalogue
    chosen = choose(language)
    catalogue = _load(chosen)
    with _lock:
        _current, _catalogue = chosen, catalogue
        listeners = list(_listeners)
    for listener in listeners:
        listener(chosen)
    return chosen


def current() -> str:
    return _current


def on_change(listener: Callable[[str], None]) -> Callable[[], None]:
    with _lock:
        _listeners.append(listener)

    def remove() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return remove


def _(message: str) -> str:
    """`message` (an English message id) in the current language."""
    return _catalogue.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue.ngettext(singular, plural, n)


def in_language(language: str, message: str) -> str:
    """`message` in `language`, whatever the current language (a screen that must speak to
    everyone at once: the kiosk out of order)."""
    return _load(choose(language)).gettext(message) if message else message


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined; `_()` translates it where shown."""
    return message


# English as written in Europe (24-hour clock, day before month): the platform is European.
BABEL_LOCALES = {"en": "en_GB", "de": "de_DE", PSEUDO: "en_GB"}


def _babel_locale() -> str:
    return BABEL_LOCALES.get(_current, "en_GB")


def local_time(moment: datetime, timezone: str, seconds: bool = True) -> str:
    """A time of day in the event's time zone, as the current language writes it."""
    zone = ZoneInfo(timezone)
    width = "medium" if seconds else "short"
    return format_time(moment.astimezone(zone), width, tzinfo=zone, locale=_babel_locale())


def local_datetime(moment: datetime, timezone: str) -> str:
    """Date and time in the event's time zone, as the current language writes them."""
    zone = ZoneInfo(timezone)
    return format_datetime(moment.astimezone(zone), "medium", tzinfo=zone, locale=_babel_locale())


def local_date(moment: datetime, timezone: str) -> str:
    return format_date(moment.astimezone(ZoneInfo(timezone)), "long", locale=_babel_locale())
