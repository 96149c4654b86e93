"""The door's sounds, generated here as small WAV files (no third-party audio assets)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
# name -> (frequency Hz, duration s) notes; a 0 Hz note is a pause
TUNES: dict[str, list[tuple[float, float]]] = {
    "admit": [(880, 0.09), (1318.5, 0.14)],
    "exit": [(1046.5, 0.09), (698.5, 0.14)],
    "attention": [(1200, 0.07), (0, 0.05), (1200, 0.07), (0, 0.05), (1200, 0.07)],
    "refuse": [(196, 0.35)],
}


def _samples(tune: list[tuple[float, float]], volume: float = 0.6) -> bytes:
    frames = bytearray()
    for frequency, seconds in tune:
        count = int(RATE * seconds)
        for i in range(count):
            fade = min(1.0, i / 200, (count - i) / 200)  # no clicks at the edges
            if frequency <= 0:
                value = 0.0
            elif frequency < 300:  # the refusal buzzes: a softened square wave
                value = math.tanh(4 * math.sin(2 * math.pi * frequency * i / RATE)) * 0.7
            else:
                value = math.sin(2 * math.pi * frequency * i / RATE)
            frames += struct.pack("<h", int(value * fade * volume * 32767))
    return bytes(frames)


def write_tones(folder: Path) -> dict[str, Path]:
    """Write every tune as `<name>.wav` in `folder` (once) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, tune in TUNES.items():
        path = folder / f"{name}.wav"
        if not path.exists():
            with wave.open(str(path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(RATE)
                out.writeframes(_samples(tune))
        paths[name] = path
    return paths
