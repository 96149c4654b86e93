"""A real X server (Xvfb) for black-box window tests, and what another program on that display
can do to a window through Xlib: unmap, resize, destroy it, take the focus (as `xdotool
windowunmap`, `windowsize`, `windowclose` and `windowfocus` do), called with ctypes so that no
tool beyond Xvfb and libX11 is needed."""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

XVFB = shutil.which("Xvfb")
X11 = ctypes.util.find_library("X11")
SCREEN = (1366, 768)
IS_VIEWABLE = 2  # XWindowAttributes.map_state


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    display = f":{number}"
    size = f"{SCREEN[0]}x{SCREEN[1]}x24"
    server = subprocess.Popen(
        [XVFB or "Xvfb", display, "-screen", "0", size, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            assert server.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        yield display
    finally:
        server.terminate()
        server.wait(30)


class WindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


class OtherProgram:
    """Another client of the X display, doing to windows what any program there may."""

    def __init__(self, display: str) -> None:
        x = ctypes.cdll.LoadLibrary(X11 or "")
        self.x = x
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        window = [ctypes.c_void_p, ctypes.c_ulong]
        for name in ("XUnmapWindow", "XDestroyWindow"):
            getattr(x, name).argtypes = window
        x.XResizeWindow.argtypes = [*window, ctypes.c_uint, ctypes.c_uint]
        x.XSetInputFocus.argtypes = [*window, ctypes.c_int, ctypes.c_ulong]
        x.XGetInputFocus.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_int),
        ]
        x.XQueryTree.argtypes = [
            *window,
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
            ctypes.POINTER(ctypes.c_uint),
        ]
        x.XFetchName.argtypes = [*window, ctypes.POINTER(ctypes.c_char_p)]
        x.XGetWindowAttributes.argtypes = [*window, ctypes.POINTER(WindowAttributes)]
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        # a window gone between listing and asking is no error worth dying for
        self._handler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(
            lambda _display, _event: 0
        )
        x.XSetErrorHandler(self._handler)
        self.display = x.XOpenDisplay(display.encode())
        assert self.display, f"cannot open display {display}"
        self.root = int(x.XDefaultRootWindow(self.display))

    def find(self, title: str) -> int | None:
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        self.x.XSync(self.display, 0)
        if not self.x.XQueryTree(
            self.display, self.root, root, parent, ctypes.byref(children), count
        ):
            return None
        try:
            for i in range(count.value):
                name = ctypes.c_char_p()
                if self.x.XFetchName(self.display, children[i], ctypes.byref(name)) and name.value:
                    found = name.value.decode("utf-8", "replace")
                    self.x.XFree(name)
                    if found == title:
                        return int(children[i])
        finally:
            if children:
                self.x.XFree(children)
        return None

    def attributes(self, window: int) -> WindowAttributes:
        attributes = WindowAttributes()
        self.x.XSync(self.display, 0)
        self.x.XGetWindowAttributes(self.display, window, ctypes.byref(attributes))
        return attributes

    def full_screen(self, window: int) -> bool:
        a = self.attributes(window)
        return a.map_state == IS_VIEWABLE and (a.x, a.y, a.width, a.height) == (0, 0, *SCREEN)

    def focus(self) -> int:
        focused, revert = ctypes.c_ulong(), ctypes.c_int()
        self.x.XSync(self.display, 0)
        self.x.XGetInputFocus(self.display, ctypes.byref(focused), ctypes.byref(revert))
        return int(focused.value)

    def take_focus(self) -> None:
        self.x.XSetInputFocus(self.display, self.root, 1, 0)  # RevertToPointerRoot, CurrentTime
        self.x.XSync(self.display, 0)

    def unmap(self, window: int) -> None:
        self.x.XUnmapWindow(self.display, window)
        self.x.XSync(self.display, 0)

    def resize(self, window: int, width: int, height: int) -> None:
        self.x.XResizeWindow(self.display, window, width, height)
        self.x.XSync(self.display, 0)

    def destroy(self, window: int) -> None:
        self.x.XDestroyWindow(self.display, window)
        self.x.XSync(self.display, 0)

    def close(self) -> None:
        self.x.XCloseDisplay(self.display)
