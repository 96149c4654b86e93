"""Printing results: one JSON object per line with --json, short human lines otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def emit(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
