"""Qt's own words (standard buttons and dialogs) in our language: Qt's shipped qtbase
catalogue for the languages we ship, none for English (Qt's source language)."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from scanner.app.session import DoorSession
from scanner.lang import LANGUAGES, SOURCE, set_language

_installed: list[QTranslator] = []


def start_language(session: DoorSession) -> str:
    """The door's language at start: $SCANNER_LANGUAGE, else the setting kept in the data file
    (`scanner kiosk settings --language`), else the system's; Qt's dialogs follow it."""
    wanted = os.environ.get("SCANNER_LANGUAGE") or session.kiosk_settings().language
    language = set_language(wanted)
    use_qt_language(language)
    return language


def use_qt_language(language: str) -> bool:
    """Install Qt's translation for `language`; True when one was loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(language if language in LANGUAGES else SOURCE))
    if language == SOURCE or language not in LANGUAGES:
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
