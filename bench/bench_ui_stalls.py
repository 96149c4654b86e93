"""UI stalls: the longest gap between GUI event-loop ticks over 60 s of 30 fps scanning while
sync fights a failing companion API (the fault proxy cycles through 500s, a dead server, slow
answers and cut connections; every scan wakes sync). Target: under 50 ms. The companion API and
its fault proxy run in a process of their own, as the platform is another machine.

The event loop is driven by QApplication.exec(), as in production. Figures on a shared,
loaded machine vary between runs.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import emit, ms_percentiles, sized
from _ui import LoopingVideo, LoopTicks, application, finish, window_for
from bench_frame_latency import write_video
from PySide6.QtCore import QTimer

from scanner.app.events import SyncStateChanged
from scanner.app.session import DoorSession

SECONDS = sized(60, 4)
BASELINE_S = sized(10, 1)
FAULTS = ["error500", "down", "slow", "die_mid_request", "cut_body"]
# Short runs switch faster, so that a few seconds still go through every fault.
FAULT_EVERY_MS = sized(5000, 800)


def idle_baseline(app: object, seconds: float = BASELINE_S) -> list[float]:
    """The same heartbeat in an empty event loop: what the machine's scheduling alone costs."""
    ticks = LoopTicks()
    QTimer.singleShot(int(seconds * 1000), app.quit)  # type: ignore[attr-defined]
    app.exec()  # type: ignore[attr-defined]
    ticks.stop()
    return ticks.gaps[5:]


def main() -> None:
    app = application()
    baseline = idle_baseline(app)
    site = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_fault_site.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert site.stdin is not None and site.stdout is not None
    faults_in = site.stdin
    started = json.loads(site.stdout.readline())

    def set_fault(name: str) -> None:
        faults_in.write(name + "\n")
        faults_in.flush()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        session = DoorSession(folder / "door", sync_poll_s=0.5)
        session.setup.enroll(started["url"], started["code"]).result(timeout=120)
        video = folder / "clip.avi"
        codes = started["codes"]
        write_video(codes[: sized(len(codes), 3)], video)  # the clip loops: a few codes will do
        session.camera.open(LoopingVideo(str(video)))  # type: ignore[arg-type]
        window = window_for(session)
        states: list[SyncStateChanged] = []
        session.subscribe(states.append, SyncStateChanged)
        faults = itertools.cycle(FAULTS)
        switch = QTimer()
        switch.setInterval(FAULT_EVERY_MS)
        switch.timeout.connect(lambda: set_fault(next(faults)))
        set_fault(next(faults))
        switch.start()
        session.start()
        ticks = LoopTicks()
        QTimer.singleShot(SECONDS * 1000, app.quit)
        app.exec()
        ticks.stop()
        switch.stop()
        verdicts = len(window.recent.events)
        scans = session.status().pending_upload
        finish(window, session)
    faults_in.close()
    site.wait(timeout=60)
    gaps = ticks.gaps[5:]  # the first ticks include the window's first layout
    emit(
        "ui_event_loop_stalls",
        seconds=SECONDS,
        longest_gap_ms=round(max(gaps) * 1000, 1),
        target_ms=50,
        gaps_over_50ms=sum(g > 0.05 for g in gaps),
        ticks=len(gaps),
        tick=ms_percentiles(gaps),
        sync_cycles=len(states),
        sync_failures=sum(s.state.link in ("failing", "offline") for s in states),
        verdicts_shown=verdicts,
        empty_loop_longest_gap_ms=round(max(baseline) * 1000, 1),
        empty_loop_tick=ms_percentiles(baseline),
        entries_waiting=scans,
    )
    del app


if __name__ == "__main__":
    main()
