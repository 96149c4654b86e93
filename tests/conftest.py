"""Top-level test set-up. Qt aborts with no summary when it finds no display, so default to
the offscreen platform before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
