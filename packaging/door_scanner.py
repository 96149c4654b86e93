"""Entry point of the packaged `door-scanner` executable: the whole `scanner` command line.

`door-scanner __qt-probe KIND` is the packaged form of `python -m scanner.ui.qt_probe KIND`, the
child process `doctor` starts to probe Qt (a frozen build has no `-m`); `door-scanner
__report-pdf FILE` that of `python -m scanner.reports.pdf_process FILE`, the child a report's
PDF is drawn in.
"""

from __future__ import annotations

import sys


def main() -> int:
    from scanner.app.doctor_qt import PROBE_ARG
    from scanner.reports.pdf_process import PDF_ARG

    if sys.argv[1:2] == [PROBE_ARG]:
        from scanner.ui.qt_probe import main as probe

        return probe(sys.argv[2:])
    if sys.argv[1:2] == [PDF_ARG]:
        from scanner.reports.pdf_process import main as draw

        return draw(sys.argv[2:])
    from scanner.cli.main import main as cli

    return cli(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
