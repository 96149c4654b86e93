"""Frame to verdict painted: from the capture of a frame with a code (30 fps synthetic camera)
to the repaint of the door window's verdict panel, with the durable journal commit between.

A 30 fps MJPEG video of 40 tickets after a second of empty scene (as bench_frame_latency, whose
figure has no window), played live. Measured at the first Paint event of the verdict panel that
shows each new verdict; the first verdict after start is also reported on its own. Target: p95
under 40 ms. Also from the commit to the verdict's sound started (QSoundEffect.play, preloaded;
target 50 ms; with no audio device here the call returns at once, so the figure is the window's
part of it). The machine's CPU is shared; figures vary between runs.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import DAY, NOW, emit, loaded_store, ms_percentiles, sized
from _ui import application, finish, run_for, window_for
from bench_frame_latency import write_video
from PySide6.QtCore import QEvent, QObject

from scanner.app.clock import FixedClock
from scanner.app.demo import make_event, write_snapshot
from scanner.app.events import VerdictCommitted
from scanner.app.session import DoorSession
from scanner.camera.sources import VideoSource
from scanner.ui.verdict_panel import VerdictPanel

CODES = sized(40, 3)
LEAD_IN = sized(30, 10)  # camera frames before the first guest (a second at full size)


class PaintClock(QObject):
    """Times the first paint of the panel that shows each verdict.

    The verdict is noted when the session publishes it (on the door's thread, right after the
    commit), and timed at the first Paint of the panel once the panel holds it: a paint of the
    previous verdict (its countdown bar ticks every 50 ms) does not count.
    """

    def __init__(self) -> None:
        super().__init__()
        self.panel: VerdictPanel | None = None
        self.waiting: VerdictCommitted | None = None
        self.latencies: list[float] = []
        self.committed: list[float] = []  # capture to journal commit (no GUI in it)
        self.gui: list[float] = []  # journal commit to the panel painted
        self.sound: list[float] = []  # journal commit to the verdict's sound started

    def verdict(self, event: VerdictCommitted) -> None:
        self.waiting = event
        if event.latency_ms is not None:
            self.committed.append(event.latency_ms / 1000)

    def eventFilter(self, _target: QObject, event: QEvent) -> bool:
        waiting = self.waiting
        if event.type() == QEvent.Type.Paint and waiting is not None and self._shown() is waiting:
            captured = waiting.captured_at
            if captured is not None:
                self.latencies.append(time.time() - captured)
                self.gui.append(time.time() - waiting.committed_at)
            self.waiting = None
        return False

    def _shown(self) -> VerdictCommitted | None:
        return None if self.panel is None else self.panel.shown


def main() -> None:
    app = application()
    event = make_event(200, seed=11)
    rows = [r for r in event.rows if r.status == "valid" and r.ticket_type in ("ga", "vip")]
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = write_snapshot(event, Path(tmp) / "s.jsonl", DAY, NOW)
        data = loaded_store(Path(tmp), event, snapshot)
        video = Path(tmp) / "tickets.avi"
        codes = [event.codes[r.ticket_id] for r in rows[:CODES]]
        write_video(codes, video, LEAD_IN)  # MJPEG, as a USB camera delivers
        session = DoorSession(data, door="Main entrance", clock=FixedClock(NOW))
        session.camera.open(VideoSource(str(video), paced=True))
        clock = PaintClock()
        session.subscribe(clock.verdict, VerdictCommitted)  # before the window's bridge
        window = window_for(session)
        clock.panel = window.panel
        play = window.sounds.play

        def timed_play(name: str | None) -> None:  # the sound asked for, from the commit
            play(name)
            if clock.waiting is not None and clock.waiting.committed_at is not None:
                clock.sound.append(time.time() - clock.waiting.committed_at)

        window.sounds.play = timed_play  # type: ignore[method-assign]
        window.panel.installEventFilter(clock)
        session.start()
        window_sounds_ok = window.sounds.problem is None
        run_for(120, until=lambda: not session.camera.running())
        run_for(1)
        window.panel.removeEventFilter(clock)
        finish(window, session)
    emit(
        "ui_frame_to_verdict_painted",
        verdicts=len(clock.latencies),
        codes_shown=len(codes),
        target_p95_ms=40,
        **ms_percentiles(clock.latencies),
        first_verdict_ms=round(clock.latencies[0] * 1000, 1) if clock.latencies else None,
        capture_to_commit=ms_percentiles(clock.committed),
        commit_to_painted=ms_percentiles(clock.gui),
        commit_to_sound_started=ms_percentiles(clock.sound),
        sound_target_ms=50,
        audio_device=window_sounds_ok,
    )
    del app


if __name__ == "__main__":
    main()
