"""What the build keeps of the libraries' data: every language the app ships, no other."""

from __future__ import annotations

import sys
from pathlib import Path

from scanner.lang import LANGUAGES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import bundle


def test_the_build_keeps_qt_and_babel_words_of_every_shipped_language() -> None:
    assert set(bundle.LANGUAGES) == set(LANGUAGES)
    datas = [
        (f"PySide6/Qt/translations/qtbase_{lang}.qm", "src", "DATA")
        for lang in ("de", "en", "fr", "ja")
    ] + [(f"babel/locale-data/{name}.dat", "src", "DATA") for name in ("root", "de_AT", "fr")]
    kept = {Path(dest).name for dest, _src, _kind in bundle.keep_datas(datas)}
    assert kept == {"qtbase_de.qm", "qtbase_en.qm", "root.dat", "de_AT.dat"}


def test_icu_keeps_root_our_languages_and_the_shared_tables() -> None:
    import icu_data

    items = [
        "root.res", "de.res", "de_AT.res", "en_001.res", "fr.res", "zh_Hant_TW.res", "pool.res",
        "supplementalData.res", "coll/root.res", "coll/ucadata.icu", "coll/de.res", "coll/ja.res",
        "coll/es_.res", "brkitr/root.res", "brkitr/word.brk", "brkitr/cjdict.dict",
        "translit/root.res", "windows-1252-2000.cnv", "cnvalias.icu", "uprops.icu", "nfc.nrm",
    ]  # fmt: skip
    kept = set(items) - set(icu_data.dropped_items(items, ("en", "de")))
    assert kept == {
        "root.res", "de.res", "de_AT.res", "en_001.res", "pool.res", "supplementalData.res",
        "coll/root.res", "coll/ucadata.icu", "coll/de.res", "brkitr/root.res", "brkitr/word.brk",
        "cnvalias.icu", "uprops.icu", "nfc.nrm",
    }  # fmt: skip
