"""Log files: rotating, in the user's log folder, with no attendee data and no secrets.

Log calls name things by id (scan ids, ticket ids, device ids), never by a person's name, e-mail,
code text or token. The formatter below is the second line of defence: it blanks e-mail
addresses, bearer tokens, ticket codes, `key=value` secrets, long opaque strings and the
parameters SQLAlchemy prints with a failed statement, so one careless call cannot leak them.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from scanner.private_files import private_file

DIR_ENV = "SCANNER_LOG_DIR"
LEVEL_ENV = "SCANNER_LOG_LEVEL"
FILE_NAME = "door-scanner.log"
MAX_BYTES = 2_000_000
BACKUPS = 5  # at most 12 MB of logs
FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(threadName)s %(name)s: %(message)s"
# Libraries that print statement parameters or request bodies at their debug level.
QUIET = {
    "sqlalchemy": logging.WARNING,
    "httpcore": logging.INFO,
    "hpack": logging.WARNING,
    "alembic.runtime.plugins": logging.WARNING,
}
REDACTED = "[redacted]"
_PATTERNS = (
    (re.compile(r"\[parameters: .*?\](?=\s*(?:\(|\n|$))", re.DOTALL), "[parameters: redacted]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), REDACTED),
    (re.compile(r"(?i)\b(bearer\s+)\S+"), rf"\1{REDACTED}"),
    (re.compile(r"\bTK1\.[\w.~-]+"), REDACTED),
    (re.compile(r"""(?i)("?(?:ticketId|signature)"?\s*:\s*)"[^"]*\""""), rf'\1"{REDACTED}"'),
    (
        re.compile(
            r"""(?i)\b((?:[\w-]*token|secret|password|passphrase|key|code|authorization)"""
            r"""["']?\s*[:=]\s*["']?)[^\s"',;}]+"""
        ),
        rf"\1{REDACTED}",
    ),
    # Opaque base64url or hex strings (tokens, keys, digests); not paths, which hold '/'.
    (re.compile(r"(?<![\w.-])[A-Za-z0-9_\-]{32,}={0,2}"), REDACTED),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_dir() -> Path:
    explicit = os.environ.get(DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_log_dir("door-scanner", appauthor=False))


class PrivateRotatingFileHandler(RotatingFileHandler):
    """Each log file this user's only (0600) before its first line, the ones a rollover begins
    too: logs name no attendee by rule, but what a device did is still nobody else's."""

    def _open(self) -> io.TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(level: str | None = None) -> Path | None:
    """Log to the rotating file at `level` (default INFO, or $SCANNER_LOG_LEVEL). The command
    line prints its own one-line messages, so nothing goes to stderr unless the log folder
    cannot be written: then warnings do. Returns the log file, or None."""
    wanted = (level or os.environ.get(LEVEL_ENV) or "INFO").upper()
    root = logging.getLogger()
    root.setLevel(logging.getLevelName(wanted) if wanted in _LEVELS else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "door_scanner", False):
            root.removeHandler(handler)
            handler.close()
    for name, quiet in QUIET.items():
        logging.getLogger(name).setLevel(quiet)
    path = log_dir() / FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        file = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        _add(root, console)
        logging.getLogger(__name__).warning("no log file in %s: %s", path.parent, exc.strerror)
        return None
    file.setFormatter(RedactingFormatter(FORMAT))
    _add(root, file)
    return path


_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


def _add(root: logging.Logger, handler: logging.Handler) -> None:
    handler.door_scanner = True  # type: ignore[attr-defined]
    root.addHandler(handler)
