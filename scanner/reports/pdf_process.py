"""The PDF, drawn in a child process: the one report writer that needs Qt runs where Qt may start.

Qt makes one GUI application per process and wants it on the main thread, while the companion
API writes reports on whichever request thread asks, and the door session (app) loads no Qt at
all. So the report goes to a child interpreter (`python -m scanner.reports.pdf_process`; the
packaged executable's hidden `__report-pdf` entry), which runs the Qt writer (`pdf.py`) on its
main thread, on Qt's offscreen platform. The report travels summary-only
(`Report.summary_only`), pickled over the child's stdin: the PDF draws no rows, and the
source's connection could not travel anyway. The child writes the file into a folder of the
parent's, so nothing it prints can end up in the PDF.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.reports.model import Report

PDF_ARG = "__report-pdf"  # the packaged executable's hidden entry to the child (no `-m` there)
TIMEOUT_S = 300.0  # a 150,000-entry event's PDF takes about 4 s
# One child at a time, as one Qt used to draw them: each holds Qt and the report's fonts.
_one_at_a_time = threading.Lock()


class PdfWriterError(RuntimeError):
    """The PDF writer's process ended without a PDF."""


def child_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, PDF_ARG]
    return [sys.executable, "-m", "scanner.reports.pdf_process"]


def write_pdf(report: Report, out: IO[bytes]) -> None:
    summary = pickle.dumps(report.summary_only(), protocol=pickle.HIGHEST_PROTOCOL)
    with tempfile.TemporaryDirectory(prefix="scanner-pdf-") as folder, _one_at_a_time:
        target = Path(folder) / "report.pdf"
        try:
            done = subprocess.run(
                [*child_command(), str(target)],
                input=summary,
                capture_output=True,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},  # a PDF needs no display
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfWriterError(f"the PDF was not done in {TIMEOUT_S:.0f} s") from None
        if done.returncode != 0 or not target.exists():
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            why = said[-1] if said else f"exit status {done.returncode}"
            raise PdfWriterError(f"the PDF writer stopped without a PDF ({why})")
        with target.open("rb") as pdf:
            while chunk := pdf.read(1 << 20):
                out.write(chunk)


def main(argv: list[str]) -> int:
    """The child: the summary-only report on stdin, the PDF into the file named first."""
    from scanner.reports import pdf

    gc.disable()  # tens of thousands of conflicts unpickle in half the time without collections
    report = pickle.load(sys.stdin.buffer)  # noqa: S301 (our own parent, over a pipe)
    gc.enable()
    with Path(argv[0]).open("wb") as out:
        pdf.write_pdf(report, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
