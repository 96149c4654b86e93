"""Qt's ICU data library cut to the languages the app ships (Linux builds; 32 MB -> 4.5 MB).

Qt's wheels link libicudata.so.NN: one 32 MB symbol `icudtNN_dat` holding ICU's data package
for every locale. Qt reads it for collation, locale-aware case mapping, time-zone names and
legacy text codecs. This step takes that package out of the bundled library, removes (with ICU's
own `icupkg`) the locale data of languages other than ours (`bundle.LANGUAGES`; `root` stays, so
every locale still collates and formats by the root rules), the legacy codec tables (the window
decodes no legacy encoding through Qt: attendee files are read by Python) and the word-break
dictionaries for Chinese, Japanese, Thai, Khmer, Lao and Burmese (Qt breaks lines with its own
tables), and links a library of the same name around the rest.

Needs `icupkg` (Debian: icu-devtools), `objcopy`, `nm` and a C compiler; without them the library
stays whole and the build says so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

LOCALE_ITEM = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9_]*)?\.res$")
TOOLS = ("icupkg", "objcopy", "nm", "cc")


def dropped_items(items: list[str], languages: tuple[str, ...]) -> list[str]:
    """The data items a build in `languages` never reads (item names as `icupkg -l` lists them)."""

    def unused(item: str) -> bool:
        tree, _slash, name = item.rpartition("/")
        if name.endswith((".cnv", ".dict")) or tree == "translit":
            return True
        locale = LOCALE_ITEM.match(name)
        return locale is not None and locale.group(1) not in languages

    return [item for item in items if unused(item)]


def shrink(app: Path, languages: tuple[str, ...]) -> str:
    """Replace the bundled libicudata by a cut one; says what it did (or why not)."""
    libraries = sorted(p for p in app.rglob("libicudata.so.*") if not p.is_symlink())
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not libraries:
        return "no libicudata in the build"
    if missing:
        return f"ICU data kept whole (27 MB more): {', '.join(missing)} not found"
    return "; ".join(_shrink_one(library, languages) for library in libraries)


def _shrink_one(library: Path, languages: tuple[str, ...]) -> str:
    symbol, size = _data_symbol(library)
    package = symbol.removesuffix("_dat") + "l"  # icudt73l: ICU 73, little-endian
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        whole, cut = work / f"{package}.dat", work / "cut" / f"{package}.dat"
        cut.parent.mkdir()
        _run("objcopy", "-O", "binary", "--only-section=.rodata", str(library), str(whole))
        if whole.stat().st_size != size:
            return f"{library.name} kept whole: .rodata is not just its data package"
        listed = _run("icupkg", "-l", str(whole)).split()
        (work / "dropped.txt").write_text("\n".join(dropped_items(listed, languages)) + "\n")
        # --ignore-deps: the break rules name the dictionaries; ICU does without them.
        _run("icupkg", "--ignore-deps", "-r", str(work / "dropped.txt"), str(whole), str(cut))
        source = work / "data.S"
        source.write_text(_ASSEMBLY.format(symbol=symbol, path=cut))
        rebuilt = work / library.name
        _run("cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(rebuilt),
             str(source))  # fmt: skip
        before = library.stat().st_size
        shutil.copyfile(rebuilt, library)
    return f"{library.name}: {before / 1e6:.1f} MB -> {library.stat().st_size / 1e6:.1f} MB"


def _data_symbol(library: Path) -> tuple[str, int]:
    for line in _run("nm", "-D", "-S", "--defined-only", str(library)).splitlines():
        fields = line.split()
        if len(fields) == 4 and re.fullmatch(r"icudt\d+_dat", fields[3]):
            return fields[3], int(fields[1], 16)
    raise SystemExit(f"{library}: no icudtNN_dat symbol")


def _run(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


_ASSEMBLY = """\
    .section .rodata
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{path}"
    .size {symbol}, . - {symbol}
    .section .note.GNU-stack,"",@progbits
"""
