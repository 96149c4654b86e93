"""OpenCV's video libraries split out of the door app into the video add-on (Linux; 42 MB).

opencv-python links FFmpeg (libavcodec, libavformat, libavutil, libswscale, with AV1/VP8/VP9
codecs and an OpenSSL for https streams) and libavif directly, so cv2 does not even load without
them, but a door reads them only for video files, network cameras and AVIF images: cameras use
V4L2, MJPEG .avi files and image files OpenCV's own readers. This step:

- moves those libraries, and what only they link, to `dist/door-scanner-video/` (the same
  layout as the app, so the add-on unpacks over it, or installs as its own .deb);
- puts a placeholder of the same name for each library cv2 links in `_internal/`, where the
  loader finds it through the folder the bootloader puts on LD_LIBRARY_PATH when the real one is
  not in cv2's own library folder (its RPATH, searched first). A placeholder defines every
  routine cv2 takes from the library; each stops the program with a message naming the add-on,
  but for the few OpenCV calls at start and exit (`HARMLESS`);
- writes `_internal/video-addon.json`, the libraries the add-on must put back. At every start
  the runtime hook `hooks/rthook_video.py` checks for them; while any is missing it turns
  OpenCV's FFmpeg backend off, so no placeholder is ever called, and tells the app
  (scanner/camera/video.py), which names the add-on when asked for a video or a stream.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import elf

from scanner.camera.video import ADDON

# What cv2 links for video and AVIF (file names carry a hash: libavcodec-c4204469.so.62...).
LINKED = ("libavcodec", "libavformat", "libavutil", "libswscale", "libavif")
# OpenCV creates its AVIF reader and writer when it loads and frees them when it ends; without
# libavif they hold nothing (OpenCV checks for NULL), and no AVIF file ever reaches them.
HARMLESS = {
    "avifEncoderCreate": "void *avifEncoderCreate(void) { return NULL; }",
    "avifDecoderCreate": "void *avifDecoderCreate(void) { return NULL; }",
    "avifEncoderDestroy": "void avifEncoderDestroy(void *encoder) { (void)encoder; }",
    "avifDecoderDestroy": "void avifDecoderDestroy(void *decoder) { (void)decoder; }",
}
_PRELUDE = f"""#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
static void absent(const char *name) {{
    fprintf(stderr, "door-scanner: OpenCV called %s, which the video add-on ({ADDON}) "
            "holds, and it is not installed\\n", name);
    abort();
}}
"""


def split(app: Path, addon: Path) -> str:
    """Move the video libraries of the build in `app` to `addon`; says what it did (or why not)."""
    missing = [tool for tool in elf.TOOLS if shutil.which(tool) is None]
    if missing:
        return f"video libraries kept in the app: {', '.join(missing)} not found"
    internal = app / "_internal"
    cv2_files = sorted(internal.glob("cv2/cv2*.so"))
    folders = sorted(internal.glob("opencv_python*.libs"))
    if len(cv2_files) != 1 or len(folders) != 1:
        return "video libraries kept in the app: not one cv2 and one OpenCV library folder"
    cv2, folder = cv2_files[0], folders[0]
    linked = [name for name in elf.needed(cv2) if name.startswith(tuple(f"{n}-" for n in LINKED))]
    if len(linked) != len(LINKED):
        return f"video libraries kept in the app: cv2 links {linked}, expected {LINKED}"
    moving = elf.only_needed_by(linked, folder, internal)
    wanted = elf.symbols(cv2, "--undefined-only")
    with tempfile.TemporaryDirectory() as tmp:
        for name in linked:
            _placeholder(folder / name, wanted, Path(tmp), internal / name)
    shutil.rmtree(addon, ignore_errors=True)
    target = addon / folder.relative_to(app)
    target.mkdir(parents=True)
    for name in moving:
        shutil.move(folder / name, target / name)
    listed = [(folder / name).relative_to(internal).as_posix() for name in linked]
    (internal / "video-addon.json").write_text(
        json.dumps({"addon": ADDON, "libraries": listed}, indent=1) + "\n"
    )
    return f"video add-on: {elf.folder_size(addon) / 1e6:.1f} MB moved to {addon.name}/"


def _placeholder(real: Path, wanted: dict[str, str], work: Path, out: Path) -> None:
    """Compile a library named like `real` defining what cv2 (`wanted`) takes from it."""
    provided = elf.symbols(real, "--defined-only")
    names = sorted(name for name in wanted if name in provided)
    source = work / f"{real.name}.c"
    source.write_text(
        _PRELUDE
        + "".join(
            HARMLESS.get(name, f'void {name}(void) {{ absent("{name}"); }}') + "\n"
            for name in names
        )
    )
    command = ["cc", "-shared", "-fPIC", "-O2", f"-Wl,-soname,{real.name}", "-o", str(out),
               str(source)]  # fmt: skip
    versions = sorted({provided[name] for name in names if provided[name]})
    if versions:
        script = work / f"{real.name}.map"
        script.write_text(
            "".join(
                f"{version} {{ global: "
                + " ".join(f"{n};" for n in names if provided[n] == version)
                + (" local: *;" if version == versions[-1] else "")
                + " };\n"
                for version in versions
            )
        )
        command.append(f"-Wl,--version-script,{script}")
    subprocess.run(command, check=True, capture_output=True)
