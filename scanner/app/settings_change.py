"""The settings dialog's side in app: the door's settings as it runs now, and applying a new
set in one go (kept in the store; the camera reopened only when it or its resolution changed)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace

from scanner.app.camera_choice import STANDARD
from scanner.app.door import ALL_TYPES
from scanner.app.events import CameraStateChanged
from scanner.app.preferences import Preferences
from scanner.app.session import DoorSession


def current(session: DoorSession) -> Preferences:
    """The stored preferences with what the door runs now: its door, direction, operator and
    camera (a camera that could not be opened at start stays chosen)."""
    stored = session.preferences()
    running = session.camera.spec
    return replace(
        stored,
        door=session.settings.door,
        checkin_list=chosen.id if (chosen := session.door_list()) is not None else ALL_TYPES,
        exit=session.exit_mode,
        operator=session.settings.operator,
        camera=running if running is not None else (stored.camera or ""),
        resolution=stored.resolution or STANDARD,
    )


def apply(session: DoorSession, chosen: Preferences) -> Future[CameraStateChanged] | None:
    """Keep `chosen` and put it to work; returns the camera switch, when there is one."""
    before = current(session)
    session.configure(
        door=chosen.door, operator=chosen.operator or "", checkin_list=chosen.checkin_list
    )
    session.save_preferences(
        camera=chosen.camera or "",
        resolution=chosen.resolution or "",
        mirror=chosen.mirror,
        hold_s=chosen.hold_s,
        mute=chosen.mute,
        volume=chosen.volume,
    )
    camera = (chosen.camera or "", chosen.resolution or STANDARD)
    running = session.camera.spec is not None
    if camera == (before.camera or "", before.resolution) and (running or not camera[0]):
        return None  # unchanged (a chosen camera that is not running is tried again)
    return session.camera.use(*camera)
