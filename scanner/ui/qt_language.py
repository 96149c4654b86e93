"""Qt's own words (standard buttons and dialogs) in our language: Qt's shipped qtbase
catalogue for the languages we ship, none for English (Qt's source language)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from scanner.lang import LANGUAGES, SOURCE

_installed: list[QTranslator] = []


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
