"""Entry point of the packaged `door-scanner` executable: the whole `scanner` command line.

`door-scanner __qt-probe KIND` is the packaged form of `python -m scanner.ui.qt_probe KIND`, the
child process `doctor` starts to probe Qt (a frozen build has no `-m`).
"""

from __future__ import annotations

import sys


def main() -> int:
    from scanner.app.doctor_qt import PROBE_ARG

    if sys.argv[1:2] == [PROBE_ARG]:
        from scanner.ui.qt_probe import main as probe

        return probe(sys.argv[2:])
    from scanner.cli.main import main as cli

    return cli(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
