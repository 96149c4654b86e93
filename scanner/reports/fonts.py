"""Which font files the PDF uses, so names in any of the scripts organizers meet render.

DejaVu Sans covers Latin, Cyrillic, Greek, Arabic and Hebrew; Noto Sans CJK covers Chinese,
Japanese and Korean. Looked for, in order: $SCANNER_REPORT_FONTS (a folder: a packaged build
puts its bundled fonts there), the package's own fonts/ folder, then the usual system places
(Debian: fonts-dejavu-core, fonts-noto-cjk; scripts/system-deps.sh installs them). A file not
found is skipped; Qt then falls back on the system's fonts (Windows and macOS have CJK fonts).
"""

from __future__ import annotations

import os
from pathlib import Path

WANTED = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
)
SYSTEM_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/dejavu",
)


def font_dirs() -> list[Path]:
    dirs = (
        [Path(os.environ["SCANNER_REPORT_FONTS"])] if "SCANNER_REPORT_FONTS" in os.environ else []
    )
    return [*dirs, Path(__file__).parent / "fonts", *map(Path, SYSTEM_DIRS)]


def font_files() -> list[str]:
    """The first copy found of each wanted file, in the order of WANTED."""
    found = []
    for name in WANTED:
        for folder in font_dirs():
            if (folder / name).is_file():
                found.append(str(folder / name))
                break
    return found
