"""Frame sources: folder, video file, synthetic, camera reconnects, and source specs."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from scanner.camera import sources
from scanner.camera.sources import (
    BadSourceSpec,
    CameraSource,
    FolderSource,
    SourceUnavailable,
    VideoSource,
    open_source,
)
from scanner.camera.synthetic import SyntheticSource


def test_folder_source_reads_images_in_name_order_and_skips_junk(tmp_path: Path) -> None:
    for i in (2, 0, 1):
        cv2.imwrite(str(tmp_path / f"frame{i}.png"), np.full((4, 4), i * 10, np.uint8))
    (tmp_path / "frame15.jpg").write_bytes(b"not an image")
    (tmp_path / "notes.txt").write_text("ignored")
    source = open_source(f"folder:{tmp_path}")
    assert isinstance(source, FolderSource)
    values = []
    while (frame := source.read()) is not None:
        values.append(int(frame.image[0, 0]))
    assert values == [0, 10, 20] and source.finished


def test_synthetic_source_is_deterministic_and_knows_its_codes() -> None:
    first = SyntheticSource(paced=False, options="count=2,hold=3,gap=2,seed=4")
    second = SyntheticSource(paced=False, options="count=2,hold=3,gap=2,seed=4")
    assert first.codes == second.codes and first.frame_count == 10
    assert [first.code_in_frame(i) is not None for i in range(5)] == [1, 1, 1, 0, 0]
    frames = [first.read() for _ in range(10)]
    assert all(f is not None for f in frames) and first.read() is None and first.finished
    assert np.array_equal(frames[0].image, second.read().image)  # type: ignore[union-attr]


def test_video_file_source_reads_every_frame_then_finishes(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (64, 48), False)
    for i in range(5):
        writer.write(np.full((48, 64), i * 40, np.uint8))
    writer.release()
    source = open_source(str(path), paced=False)
    assert isinstance(source, VideoSource)
    count = 0
    while not source.finished:
        count += source.read() is not None
    assert count == 5


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("/no/such/video.mp4", SourceUnavailable),
        ("folder:/no/such/dir", SourceUnavailable),
        ("camera:0@big", BadSourceSpec),
        ("synthetic:speed=9", BadSourceSpec),
    ],
)
def test_bad_specs_and_missing_sources_raise_distinct_errors(
    spec: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        open_source(spec)


class FakeCapture:
    """A camera that delivers `frames_before_unplug` frames, then fails until replugged."""

    plugged = True
    opened = 0

    def __init__(self, device: object) -> None:
        FakeCapture.opened += 1
        self._open = FakeCapture.plugged
        self._left = 2

    def isOpened(self) -> bool:
        return self._open

    def set(self, prop: int, value: float) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        if not FakeCapture.plugged or self._left == 0:
            return False, None
        self._left -= 1
        return True, np.zeros((4, 4, 3), np.uint8)

    def release(self) -> None:
        self._open = False


@pytest.fixture
def fake_camera(monkeypatch: pytest.MonkeyPatch) -> type[FakeCapture]:
    """FakeCapture in place of OpenCV's, its class state put back after the test."""
    monkeypatch.setattr(sources.cv2, "VideoCapture", FakeCapture)
    monkeypatch.setattr(FakeCapture, "plugged", True)
    monkeypatch.setattr(FakeCapture, "opened", 0)
    return FakeCapture


def test_a_camera_unplugged_and_plugged_back_is_picked_up_again(
    fake_camera: type[FakeCapture],
) -> None:
    camera = CameraSource(0, retry_s=0.0)
    assert camera.read() is not None and camera.read() is not None
    FakeCapture.plugged = False
    assert camera.read() is None  # stops delivering: released
    assert camera.read() is None  # reopening fails while unplugged
    FakeCapture.plugged = True
    frames = [camera.read() for _ in range(3)]
    assert any(f is not None for f in frames) and FakeCapture.opened >= 3
    indices = [f.index for f in frames if f is not None]
    assert indices[0] == 2  # numbering continues across the reconnect


def test_an_unknown_camera_is_unavailable(fake_camera: type[FakeCapture]) -> None:
    FakeCapture.plugged = False
    with pytest.raises(SourceUnavailable):
        open_source("camera:7")


def test_no_fake_camera_state_outlives_its_test() -> None:
    assert FakeCapture.plugged is True and FakeCapture.opened == 0
