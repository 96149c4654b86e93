"""Keep the kiosk's screen on: ask the desktop's screen saver to wait (freedesktop D-Bus
Inhibit, which GNOME, KDE and most Wayland desktops answer) and, under X11 with `xset` present,
turn off X's own blanking and power saving. What cannot be done from here is in `advice`, for
the staff menu, the log and docs/kiosk.md."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

log = logging.getLogger(__name__)
SERVICE = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"
XSET_ADVICE = "run `xset s off -dpms` in the kiosk's X session (docs/kiosk.md)"


class ScreenSaverInhibitor:
    def __init__(self, app_name: str = "Door scanner") -> None:
        self.app_name = app_name
        self.cookie: int | None = None
        self.xset_done = False
        self.advice: str | None = None

    def inhibit(self) -> bool:
        """True when something now keeps the screen on."""
        self.cookie = self._dbus("Inhibit", self.app_name, "self-service kiosk")
        if os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            self.xset_done = self._xset()
        if self.cookie is None and not self.xset_done:
            self.advice = "the screen may blank: " + XSET_ADVICE
            log.warning("%s", self.advice)
        return self.cookie is not None or self.xset_done

    def release(self) -> None:
        if self.cookie is not None:
            self._dbus("UnInhibit", self.cookie)
            self.cookie = None

    @staticmethod
    def _dbus(method: str, *args: object) -> int | None:
        try:
            from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage
        except ImportError:
            return None
        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return None
        interface = QDBusInterface(SERVICE, PATH, SERVICE, bus)
        if not interface.isValid():
            return None
        reply = interface.call(method, *args)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            return None
        values = reply.arguments()
        return int(values[0]) if values else 0

    @staticmethod
    def _xset() -> bool:
        xset = shutil.which("xset")
        if xset is None:
            return False
        try:
            subprocess.run([xset, "s", "off", "-dpms"], check=True, timeout=5, capture_output=True)
        except (OSError, subprocess.SubprocessError):
            return False
        return True
