"""What Qt can do on this machine, probed in a child process for `doctor` (one JSON line).

`audio`: can QtMultimedia load (it needs libpulse) and which outputs exist. `display`: can a
QGuiApplication start on the default platform plugin, and which screens it sees. A missing
platform plugin library aborts the process, which is why this runs apart from doctor itself.
"""

from __future__ import annotations

import json
import sys


def _audio() -> dict[str, object]:
    try:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:
        return {"error": str(exc)}
    _app = QCoreApplication([])
    default = QMediaDevices.defaultAudioOutput()
    return {
        "outputs": [device.description() for device in QMediaDevices.audioOutputs()],
        "default": None if default.isNull() else default.description(),
    }


def _display() -> dict[str, object]:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])
    screens = [
        {"name": s.name(), "width": s.size().width(), "height": s.size().height()}
        for s in app.screens()
    ]
    return {"platform": app.platformName(), "screens": screens}


def main(argv: list[str]) -> int:
    probes = {"audio": _audio, "display": _display}
    if len(argv) != 1 or argv[0] not in probes:
        print("usage: qt_probe audio|display", file=sys.stderr)
        return 2
    print(json.dumps(probes[argv[0]]()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
