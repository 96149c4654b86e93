"""Verdict sounds: one QSoundEffect per sound, loaded at start so playing one is immediate.

With no audio output (or no QtMultimedia) the door works silently and says so once.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal

from scanner.lang import _
from scanner.ui.tones import write_tones

log = logging.getLogger(__name__)


class Sounds(QObject):
    unavailable = Signal(str)  # said once, in words

    def __init__(self, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requested: list[str] = []  # every sound asked for (tests and diagnostics)
        self.muted = False
        self.volume = 0.8
        self.problem: str | None = None
        self._effects: dict[str, object] = {}
        folder = folder or Path(tempfile.gettempdir()) / "door-scanner-sounds"
        try:
            self._load(write_tones(folder))
        except (ImportError, OSError) as exc:
            self.problem = _("sounds off: {error}").format(error=exc)

    def _load(self, paths: dict[str, Path]) -> None:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        if not QMediaDevices.audioOutputs():
            self.problem = _("no audio output found: the door works silently")
            return
        for name, path in paths.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(self.volume)
            self._effects[name] = effect

    def announce(self) -> None:
        """Say once (through `unavailable`) why there is no sound, if there is none."""
        if self.problem is not None:
            log.warning("%s", self.problem)
            self.unavailable.emit(self.problem)

    def play(self, name: str | None) -> None:
        if name is None:
            return
        self.requested.append(name)
        effect = self._effects.get(name)
        if effect is None or self.muted:
            return
        effect.play()  # type: ignore[attr-defined]

    def try_out(self, name: str, volume: float) -> None:
        """Play `name` once at `volume`, muted or not (the settings' test button); the door's
        own volume returns with the next `set_volume`."""
        self.requested.append(name)
        effect = self._effects.get(name)
        if effect is not None:
            effect.setVolume(max(0.0, min(1.0, volume)))  # type: ignore[attr-defined]
            effect.play()  # type: ignore[attr-defined]

    def set_volume(self, volume: float) -> None:
        self.volume = max(0.0, min(1.0, volume))
        for effect in self._effects.values():
            effect.setVolume(self.volume)  # type: ignore[attr-defined]
