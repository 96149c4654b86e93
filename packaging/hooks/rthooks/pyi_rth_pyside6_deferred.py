"""Runtime hook for PySide6, in place of PyInstaller's own (packaging/hooks/rthooks.dat).

PyInstaller's hook imports PySide6.QtCore when the program starts, to register an embedded
qt.conf; that loads Qt's core library into every run of the command line, `door-scanner check`
included, which never shows a window. This one sets the same environment at start and registers
the qt.conf only when something imports PySide6.QtCore (the window, the kiosk, the Qt probe).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
from types import ModuleType


def _environment() -> str:
    from _pyi_rth_utils import is_macos_app_bundle, prepend_path_to_environment_variable

    qt_root = os.path.join(sys._MEIPASS, "PySide6")  # type: ignore[attr-defined]
    if not sys.platform.startswith("win"):
        qt_root = os.path.join(qt_root, "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_root, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_root, "qml")
    if sys.platform.startswith("win"):
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")  # type: ignore[attr-defined]
    if sys.platform == "darwin" and not is_macos_app_bundle:
        prepend_path_to_environment_variable(
            sys._MEIPASS,  # type: ignore[attr-defined]
            "DYLD_LIBRARY_PATH",
        )
    return qt_root


class _AfterQtCore(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds PySide6.QtCore through the other finders and, once it has loaded, registers the
    qt.conf that points Qt at the bundled plugins."""

    def __init__(self, qt_root: str) -> None:
        self.qt_root = qt_root
        self.loader: importlib.abc.Loader | None = None

    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname != "PySide6.QtCore":
            return None
        sys.meta_path.remove(self)  # once is enough; the other finders know where it is
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            self.loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec):  # type: ignore[no-untyped-def]
        assert self.loader is not None
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        assert self.loader is not None
        self.loader.exec_module(module)
        from _pyi_rth_utils import qt as qt_rth_utils

        qt_rth_utils.create_embedded_qt_conf("PySide6", self.qt_root)


def _pyi_rthook() -> None:
    from _pyi_rth_utils import qt as qt_rth_utils

    qt_rth_utils.ensure_single_qt_bindings_package("PySide6")
    sys.meta_path.insert(0, _AfterQtCore(_environment()))


_pyi_rthook()
del _pyi_rthook
