"""Keep the German catalogue in step with the code: extract every `_()`, `N_()` and `tr()`
string from the window, kiosk and command line, plus the English words the Qt-free core keeps in
tables (reasons, flags, headlines, verdict words), merge them into scanner/lang's .po files
(new ones empty, gone ones dropped) and compile the .mo files the app reads.

    .venv/bin/python scripts/translations.py          # update .po and compile .mo
    .venv/bin/python scripts/translations.py --check  # fail when .po or .mo are behind
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scanner.lang import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE  # noqa: E402

SOURCES = ("scanner/ui", "scanner/cli", "scanner/lang", "scanner/checkin/wording.py")
KEYWORDS = {"_": None, "N_": None, "tr": None, "ngettext": (1, 2)}


def table_words() -> list[str]:
    """English words the core keeps in tables; the edge translates them with `_()`."""
    from scanner.checkin.reasons import REASON_TEXT
    from scanner.checkin.records import FLAG_TEXT
    from scanner.checkin.wording import HEADLINES, OUTSIDE_TEXT
    from scanner.ui.verdict_style import STYLES

    words = [*REASON_TEXT.values(), *FLAG_TEXT.values(), *HEADLINES.values(), "Goodbye"]
    words += list(OUTSIDE_TEXT.values())
    words += [style.word for style in STYLES.values()]
    return words


def template() -> Catalog:
    catalog = Catalog(domain=DOMAIN, project="door-scanner")
    for source in SOURCES:
        path = ROOT / source
        folder, pattern = (path, "**.py") if path.is_dir() else (path.parent, path.name)
        found = extract_from_dir(
            str(folder), [(pattern, "python")], keywords=KEYWORDS, strip_comment_tags=True
        )
        for filename, line, message, _comments, _context in found:
            if (isinstance(message, tuple) and message[0]) or (
                isinstance(message, str) and message
            ):
                catalog.add(message, locations=[(f"{source}/{filename}", line)])
    for word in table_words():
        catalog.add(word, locations=[("scanner/checkin", 0)])
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def updated(language: str, pot: Catalog) -> Catalog:
    path = po_path(language)
    if path.exists():
        catalog = _read(path, language)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="door-scanner")
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, sort_output=True, width=100, no_location=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main(check: bool) -> int:
    pot = template()
    behind = []
    for language in LANGUAGES:
        if language == SOURCE:
            continue
        catalog = updated(language, pot)
        po, mo = po_path(language), po_path(language).with_suffix(".mo")
        if check:
            if not po.exists() or _messages(_read(po, language)) != _messages(catalog):
                behind.append(str(po))
            elif not mo.exists() or _compiled(_read_mo(mo)) != _compiled(_read(po, language)):
                behind.append(str(mo))
            continue
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(po_bytes(catalog))
        mo.write_bytes(mo_bytes(_read(po, language)))
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{language}: {len(catalog) - 1} messages, {len(missing)} without a translation")
    if behind:
        print("out of date (run scripts/translations.py):", *behind, sep="\n  ")
        return 1
    return 0


def _read(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _read_mo(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_mo(handle)


Key = tuple[str | None, object]


def _messages(catalog: Catalog) -> dict[Key, tuple[object, bool]]:
    """What a catalogue says, message by message: its header (dates, the Babel version that
    wrote it) is left out, so the check does not depend on the day or the tool's version."""
    return {_key(m): (_plain(m.string), m.fuzzy) for m in catalog if m.id}


def _compiled(catalog: Catalog) -> dict[Key, object]:
    """What the app reads from the .mo: the translated messages, fuzzy ones left out."""
    return {_key(m): _plain(m.string) for m in catalog if m.id and _said(m.string) and not m.fuzzy}


def _key(message: Message) -> Key:
    return (message.context, _plain(message.id))


def _plain(text: object) -> object:
    """A plural message's forms (a list from a .mo, a tuple from a .po) as one tuple."""
    return tuple(text) if isinstance(text, (list, tuple)) else text


def _said(text: object) -> bool:
    return all(text) if isinstance(text, (list, tuple)) else bool(text)


if __name__ == "__main__":
    raise SystemExit(main("--check" in sys.argv[1:]))
