"""From a camera (or a hand scanner) to the door: codes in, committed verdicts out.

The camera pipeline decodes on its own threads and hands each new code over a queue; the door is
used only on the thread that calls `pump`, `run` or `run_every_frame` (it owns the store's
connection). A verdict exists only after the door committed it to the journal.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from scanner.app.door import Door
from scanner.camera.dedupe import DEFAULT_WINDOW_S
from scanner.camera.pipeline import CodeEvent, FrameDecoder, ScanPipeline
from scanner.camera.sources import FrameSource
from scanner.camera.wedge import Identify, WedgeScan, identify_with, resolve
from scanner.checkin.codes import IssuedProof
from scanner.store.journal import ScanRecord


@dataclass(frozen=True)
class ScanOutcome:
    event: CodeEvent
    result: ScanRecord
    verdict_at: float  # wall clock after the journal commit
    advice: str | None = None  # e.g. "fix the hand scanner's keyboard setting"

    @property
    def latency_ms(self) -> float:
        """From the capture of the frame (or the last keystroke) to the committed verdict."""
        return (self.verdict_at - self.event.captured_at) * 1000


VerdictSink = Callable[[ScanOutcome], None]


class DoorScanner:
    """Feeds a door from a frame source and from a keyboard-wedge scanner."""

    def __init__(
        self,
        door: Door,
        source: FrameSource | None = None,
        on_verdict: VerdictSink | None = None,
        repeat_window_s: float = DEFAULT_WINDOW_S,
        decoder: FrameDecoder | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.door = door
        self.on_verdict = on_verdict or (lambda outcome: None)
        self._clock = clock
        self._codes: queue.Queue[CodeEvent] = queue.Queue()
        self._identify: Identify | None = None
        self.pipeline = (
            None
            if source is None
            else ScanPipeline(source, self._codes.put, decoder, repeat_window_s, clock)
        )

    def check(self, event: CodeEvent, advice: str | None = None) -> ScanOutcome:
        result = self.door.check(event.text, source=event.source)
        outcome = ScanOutcome(event, result, self._clock(), advice)
        self.on_verdict(outcome)
        return outcome

    def submit_wedge(self, scan: WedgeScan) -> ScanOutcome:
        """A hand-scanner code: garbling undone when (and only when) a signature says so."""
        resolved = resolve(scan.text, self._wedge_identify())
        event = CodeEvent(resolved.text, scan.ended_at, self._clock(), "wedge")
        return self.check(event, resolved.advice)

    def _wedge_identify(self) -> Identify:
        if self._identify is None:
            store = self.door.store
            event_id, keyring = store.event_keyring()

            def issued(ticket_id: str) -> IssuedProof | None:
                return store.issued_proof(event_id, ticket_id)

            self._identify = identify_with(keyring, issued)
        return self._identify

    # --- camera ----------------------------------------------------------------------------

    def pump(self, timeout: float | None = None) -> list[ScanOutcome]:
        """Check every code decoded so far (waiting up to `timeout` for the first)."""
        outcomes = []
        try:
            event = self._codes.get(timeout=timeout) if timeout else self._codes.get_nowait()
            while True:
                outcomes.append(self.check(event))
                event = self._codes.get_nowait()
        except queue.Empty:
            return outcomes

    def run(self, stop: threading.Event | None = None, poll_s: float = 0.05) -> None:
        """Live: capture and decode on their threads, verdicts here, until the source ends or
        `stop` is set."""
        pipeline = self._require_pipeline()
        pipeline.start()
        try:
            while pipeline.running and not (stop and stop.is_set()):
                self.pump(poll_s)
        finally:
            pipeline.stop()
        self.pump()

    def run_every_frame(self) -> None:
        """Every frame of a finite source decoded and checked on this thread, in order."""
        pipeline = self._require_pipeline()
        while not pipeline.source.finished:
            pipeline.step()
            self.pump()

    def _require_pipeline(self) -> ScanPipeline:
        if self.pipeline is None:
            raise RuntimeError("this door scanner has no frame source")
        return self.pipeline
