"""The page's words in English and German. English is the key; a missing German word shows
in English (a test keeps the table complete)."""

from __future__ import annotations

from scanner.lang import in_language
from scanner.reports.parts import reason_words

LANGUAGES = ("en", "de")

GERMAN = {
    "Organizer": "Veranstalter",
    "Sign in": "Anmelden",
    "Sign out": "Abmelden",
    "Organizer token": "Veranstalter-Token",
    "The token scanner-server printed for your event (create-event or organizer-token).": "Das Token, das scanner-server für Ihre Veranstaltung ausgegeben hat (create-event oder organizer-token).",
    "That token is unknown or revoked.": "Dieses Token ist unbekannt oder gesperrt.",
    "Too many attempts; try again in a minute.": "Zu viele Versuche; bitte in einer Minute erneut.",
    "Live": "Live",
    "Devices": "Geräte",
    "Downloads": "Downloads",
    "Admitted": "Eingelassen",
    "Expected": "Erwartet",
    "Inside now": "Jetzt drinnen",
    "No-shows": "Nicht erschienen",
    "Refused scans": "Abgewiesene Scans",
    "Conflicts": "Konflikte",
    "By door": "Nach Eingang",
    "By ticket type": "Nach Ticketart",
    "Door": "Eingang",
    "Type": "Art",
    "Admissions": "Einlässe",
    "People": "Personen",
    "Exits": "Ausgänge",
    "Refused": "Abgewiesen",
    "Refusals by reason": "Abweisungen nach Grund",
    "Reason": "Grund",
    "Count": "Anzahl",
    "Ticket": "Ticket",
    "Holder": "Inhaber",
    "First admission": "Erster Einlass",
    "Second admission": "Zweiter Einlass",
    "None.": "Keine.",
    "Arrivals": "Ankünfte",
    "admissions per 15 minutes by door, and people inside": "Einlässe je 15 Minuten nach Eingang, und Personen drinnen",
    "No admissions yet.": "Noch keine Einlässe.",
    "people inside": "Personen drinnen",
    "Updated": "Aktualisiert",
    "Updates by itself.": "Aktualisiert sich selbst.",
    "Reload": "Neu laden",
    "Name": "Name",
    "Last seen": "Zuletzt gesehen",
    "Version": "Version",
    "Entries waiting": "Wartende Einträge",
    "Clock offset": "Uhrabweichung",
    "never": "nie",
    "revoked": "gesperrt",
    "Revoke": "Sperren",
    "Revoke this device?": "Dieses Gerät sperren?",
    "Yes, revoke it": "Ja, sperren",
    "Cancel": "Abbrechen",
    "The device was revoked.": "Das Gerät wurde gesperrt.",
    "New enrolment code": "Neuer Anmeldecode",
    "Check-in list (optional)": "Check-in-Liste (optional)",
    "Valid for hours": "Gültig für Stunden",
    "Make a code": "Code erzeugen",
    "Enrolment code": "Anmeldecode",
    "valid until": "gültig bis",
    "Reports": "Berichte",
    "Scan log (CSV)": "Scan-Protokoll (CSV)",
    "No-show list (CSV)": "Liste der Nicht-Erschienenen (CSV)",
    "Full report (XLSX)": "Vollständiger Bericht (XLSX)",
    "Report with charts (PDF)": "Bericht mit Diagrammen (PDF)",
    "with e-mail addresses": "mit E-Mail-Adressen",
    "Language": "Sprache",
    "This form expired; please try again.": "Dieses Formular ist abgelaufen; bitte erneut versuchen.",
    "Requests from other sites are refused.": "Anfragen von anderen Seiten werden abgewiesen.",
    "Please sign in.": "Bitte anmelden.",
    "No such device.": "Kein solches Gerät.",
    "The door name is missing or not valid.": "Der Name des Eingangs fehlt oder ist ungültig.",
}

# Sentences with placeholders, by key (English and German).
SENTENCES = {
    "revoke_warning": (
        "At its next sync, {door} ({name}) is refused with device_revoked: the door locks "
        "itself, keeps its journal and scans nothing more until it is enrolled again with a "
        "new code. Its token stops working at once.",
        "Bei der nächsten Synchronisation wird {door} ({name}) mit device_revoked abgewiesen: "
        "der Eingang sperrt sich, behält sein Protokoll und scannt nichts mehr, bis er mit "
        "einem neuen Code neu angemeldet wird. Sein Token gilt ab sofort nicht mehr.",
    ),
    "enrol_hint": (
        "Scan this QR code in the door's setup wizard (or with its hand scanner), or type the "
        "code. It works once.",
        "Diesen QR-Code im Einrichtungsassistenten des Eingangs (oder mit dessen Handscanner) "
        "scannen oder den Code eintippen. Er gilt einmal.",
    ),
    "download_hint": (
        "Made from every device's journal as the server received it. Names are included; "
        "e-mail addresses only when asked for.",
        "Aus den Protokollen aller Geräte, wie der Server sie erhalten hat. Namen sind "
        "enthalten, E-Mail-Adressen nur auf Wunsch.",
    ),
}


def word(lang: str, text: str, **values: str) -> str:
    """The page's text in `lang`; `values` fill a sentence's placeholders."""
    if text in SENTENCES:
        english, german = SENTENCES[text]
        return (german if lang == "de" else english).format(**values)
    return GERMAN.get(text, text) if lang == "de" else text


def reason(lang: str, code: str) -> str:
    """A refusal reason in the door's own words (its catalogue), in `lang`."""
    return in_language(lang, reason_words(code))


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The language switch's cookie, else the browser's first language we speak."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"
