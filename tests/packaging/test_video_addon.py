"""The video add-on (packaging/video_addon.py, packaging/hooks/rthook_video.py), split out of this
venv's OpenCV the way `make package` splits the build, and run the way the packaged app runs
(its folder on the library path, the start-up hook first): without the add-on, OpenCV loads on
placeholders and never reaches them (cameras' MJPEG files and images read, a video or a stream
is refused in words naming the add-on); with it unpacked over the app, videos read again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.cli import exits
from tests.packaging.site_copy import SITE, copy_site

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import elf  # noqa: E402
import video_addon  # noqa: E402

RTHOOK = ROOT / "packaging" / "hooks" / "rthook_video.py"
SMOKE = ROOT / "packaging" / "smoke"
# The packaged app's start: the runtime hook, then the command line.
CHILD = """
import runpy, sys
if sys.argv[2]:
    sys._MEIPASS = sys.argv[1]
    runpy.run_path(sys.argv[2])
from scanner.cli.main import main
raise SystemExit(main(sys.argv[3:]))
"""

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or any(shutil.which(t) is None for t in elf.TOOLS),
    reason="the add-on is split on Linux, with cc, nm and readelf",
)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder (cv2 and numpy only) after the split; the add-on beside it."""
    root = tmp_path_factory.mktemp("build")
    copy_site(root / "door-scanner" / "_internal")
    said = video_addon.split(root / "door-scanner", root / "door-scanner-video")
    assert said.startswith("video add-on: "), said
    return root


def _run(
    app: Path, data_dir: Path, *args: str, hook: bool = True
) -> subprocess.CompletedProcess[str]:
    internal = app / "_internal"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SCANNER_VIDEO_ADDON", "OPENCV_VIDEOIO_PRIORITY_FFMPEG")
    }
    env |= {"PYTHONPATH": str(internal), "LD_LIBRARY_PATH": str(internal)}  # as the bootloader
    argv = [sys.executable, "-c", CHILD, str(internal), str(RTHOOK) if hook else ""]
    argv += ["--data-dir", str(data_dir), *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)


def _scan(
    app: Path, data_dir: Path, source: Path | str, hook: bool = True
) -> subprocess.CompletedProcess[str]:
    return _run(
        app, data_dir, "scan", "--every-frame", "--json", "--source", str(source), hook=hook
    )


def _reached(start: set[str], folder: Path) -> set[str]:
    """The libraries of `folder` that `start` links, directly or through one another."""
    reached: set[str] = set()
    pending = [name for name in start if (folder / name).is_file()]
    while pending:
        name = pending.pop()
        if name not in reached:
            reached.add(name)
            pending += [n for n in elf.needed(folder / name) if (folder / n).is_file()]
    return reached


def test_the_split_leaves_placeholders_for_what_cv2_links_and_moves_the_rest(build: Path) -> None:
    """What moves is read off the installed cv2, not a list of today's wheel: every library only
    its video libraries reach (OpenSSL went with FFmpeg until opencv-python 5.1 dropped it)."""
    site_libs = SITE / "opencv_python_headless.libs"
    cv2_links = set(elf.needed(next(SITE.glob("cv2/cv2*.so"))))
    video_links = {n for n in cv2_links if n.startswith(tuple(f"{v}-" for v in video_addon.LINKED))}
    expected = _reached(video_links, site_libs) - _reached(cv2_links - video_links, site_libs)

    internal = build / "door-scanner" / "_internal"
    kept = {p.name for p in (internal / "opencv_python_headless.libs").iterdir()}
    moved = {p.name for p in (build / "door-scanner-video").rglob("*.so*")}
    assert moved == expected
    stems = {name.split("-")[0] for name in moved}
    assert {"libavcodec", "libavformat", "libavutil", "libswscale", "libavif"} <= stems
    assert kept and not kept & moved
    assert not [name for name in kept if name.startswith(("libav", "libsw"))]  # no FFmpeg left
    cv2 = next(internal.glob("cv2/cv2*.so"))
    for name in elf.needed(cv2):
        if name.startswith(video_addon.LINKED):
            placeholder = internal / name
            assert placeholder.stat().st_size < 100_000
            real = next((build / "door-scanner-video").rglob(name))
            assert elf.undefined(cv2) & elf.defined(real) <= elf.defined(placeholder)


def test_without_the_addon_images_and_mjpeg_read_and_videos_are_refused_in_words(
    build: Path, data_dir: Path, tmp_path: Path
) -> None:
    app = build / "door-scanner"
    decoded = _run(app, data_dir, "decode", str(SMOKE / "ticket.png"))
    assert decoded.returncode == exits.OK, decoded.stderr
    assert (SMOKE / "ticket.txt").read_text().strip() in decoded.stdout

    mjpeg = _scan(app, data_dir, SMOKE / "ticket.avi")
    assert mjpeg.returncode == exits.OK, mjpeg.stderr
    assert '"format": "TK1"' in mjpeg.stdout

    for source in (SMOKE / "ticket.mp4", "rtsp://127.0.0.1:9/door"):
        refused = _scan(app, data_dir, source)
        assert refused.returncode == exits.NOT_FOUND, refused.stderr
        assert f"{source} needs the video add-on (door-scanner-video)" in refused.stderr

    avif = tmp_path / "ticket.avif"
    avif.write_bytes(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(64))
    refused = _run(app, data_dir, "decode", str(avif))
    assert refused.returncode == exits.USAGE
    assert "the AVIF image ticket.avif needs the video add-on" in refused.stderr

    doctor = _run(app, data_dir, "doctor", "--json", "--skip", "camera", "--skip", "qt",
                  "--skip", "server")  # fmt: skip
    assert '"addon": "door-scanner-video"' in doctor.stdout


def test_a_placeholder_stops_the_program_naming_the_addon_if_opencv_ever_calls_it(
    build: Path, data_dir: Path
) -> None:
    """Without the start-up hook OpenCV tries FFmpeg on a video: the placeholder stops the
    program with a message, never running on with a wrong answer."""
    ran = _scan(build / "door-scanner", data_dir, SMOKE / "ticket.mp4", hook=False)
    assert ran.returncode < 0 or ran.returncode >= 128
    assert (
        "which the video add-on (door-scanner-video) holds, and it is not installed" in ran.stderr
    )


def test_with_the_addon_unpacked_over_the_app_videos_read_again(
    build: Path, data_dir: Path, tmp_path: Path
) -> None:
    app = tmp_path / "door-scanner"
    shutil.copytree(build / "door-scanner", app, symlinks=True)
    shutil.copytree(build / "door-scanner-video", app, dirs_exist_ok=True)
    video = _scan(app, data_dir, SMOKE / "ticket.mp4")
    assert video.returncode == exits.OK, video.stderr
    assert '"format": "TK1"' in video.stdout
    doctor = _run(app, data_dir, "doctor", "--json", "--skip", "camera", "--skip", "qt",
                  "--skip", "server")  # fmt: skip
    assert "video files and network cameras can be read" in doctor.stdout
