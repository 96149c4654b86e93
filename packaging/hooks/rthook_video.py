"""Runtime hook: a build whose video add-on is not installed never lets OpenCV reach FFmpeg.

`packaging/video_addon.py` moved OpenCV's FFmpeg and libavif to the add-on and left placeholders
that stop the program when called; `video-addon.json` lists the libraries the add-on puts back.
While any is missing, `scanner.camera.video.mark_addon_missing()` turns OpenCV's FFmpeg backend
off (cameras, images and MJPEG .avi files do not use it) and tells the app, which names the
add-on when asked for a video or a stream. Runs before anything imports cv2.
"""

from __future__ import annotations

import json
import os
import sys


def _addon_missing() -> bool:
    bundle = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
    try:
        with open(os.path.join(bundle, "video-addon.json"), encoding="utf-8") as file:
            libraries = json.load(file)["libraries"]
    except (OSError, ValueError, KeyError):
        return False  # a build that kept its video libraries
    return not all(os.path.isfile(os.path.join(bundle, name)) for name in libraries)


if _addon_missing():
    from scanner.camera import video  # light: os and pathlib only

    video.mark_addon_missing()
