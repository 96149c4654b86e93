"""The camera choices the settings offer, and the resolution put into a camera's spec."""

from __future__ import annotations

import pytest

from scanner.app.camera_choice import CameraKind, camera_options, with_resolution
from scanner.camera.sources import BadSourceSpec, CameraInfo, SourceUnavailable, open_source
from scanner.camera.synthetic import SyntheticSource


@pytest.mark.parametrize(
    ("spec", "resolution", "opened"),
    [
        ("0", "640x480", "camera:0@640x480"),
        ("camera:1", "1920x1080", "camera:1@1920x1080"),
        ("/dev/video2", "default", "camera:/dev/video2@default"),
        ("camera:0@800x600", "1920x1080", "camera:0@800x600"),  # the spec's own size wins
        ("synthetic:loop=1", "640x480", "synthetic:loop=1,size=640x480"),
        ("synthetic", "640x480", "synthetic:size=640x480"),
        ("synthetic:size=320x240", "640x480", "synthetic:size=320x240"),
        ("synthetic:loop=1", "default", "synthetic:loop=1"),
        ("clip.mp4", "640x480", "clip.mp4"),  # files and streams keep their own
        ("0", None, "0"),
        ("0", "huge", "0"),  # not one of the offered resolutions: the camera's standard
    ],
)
def test_the_resolution_goes_into_camera_and_synthetic_specs(
    spec: str, resolution: str | None, opened: str
) -> None:
    assert with_resolution(spec, resolution) == opened


def test_a_synthetic_camera_opens_at_the_chosen_size() -> None:
    source = open_source(with_resolution("synthetic:count=1", "640x480"))
    assert isinstance(source, SyntheticSource)
    frame = source.read()
    assert frame is not None and frame.image.shape[:2] == (480, 640)


def test_camera_default_is_a_spec_the_camera_source_takes() -> None:
    with pytest.raises(SourceUnavailable):  # understood; only the device is missing
        open_source("camera:/dev/video-none-here@default")
    with pytest.raises(BadSourceSpec, match="bad resolution"):
        open_source("camera:/dev/video-none-here@huge")


def test_options_list_no_camera_the_attached_ones_then_the_sources_used_here() -> None:
    found = [
        CameraInfo(0, "/dev/video0", "USB Camera", 640, 480),
        CameraInfo(2, "/dev/video2", "Laptop"),
    ]
    options = camera_options(found, ["synthetic:loop=1", "camera:0@1920x1080", "clip.mp4", ""])
    assert [(o.kind, o.spec) for o in options] == [
        (CameraKind.NONE, ""),
        (CameraKind.DEVICE, "camera:0@1920x1080"),  # as the door knows it: seen as in use
        (CameraKind.DEVICE, "/dev/video2"),
        (CameraKind.SYNTHETIC, "synthetic:loop=1"),
        (CameraKind.OTHER, "clip.mp4"),
    ]
    assert options[1].name == "USB Camera" and options[1].size == (640, 480)
