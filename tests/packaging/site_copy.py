"""A copy of this venv's OpenCV and numpy laid out as a build bundles them, for the tests of the
build steps that change them (files hard-linked where possible; the steps never write through)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2

SITE = Path(cv2.__file__).resolve().parents[1]
PACKAGES = ("cv2", "opencv_python_headless.libs", "numpy", "numpy.libs")


def copy_site(target: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(SITE / name, target / name, copy_function=_link_or_copy)
    return target


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
