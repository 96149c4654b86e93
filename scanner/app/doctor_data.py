"""Doctor's checks of what is on disk: the data file, free space, folder rights, the device key,
what waits for upload and how old the attendee data is."""

from __future__ import annotations

import shutil
import stat
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from scanner.app.findings import DoctorSettings, Finding, Level
from scanner.app.version import program
from scanner.store import inspection, sealing
from scanner.store.inspection import FileReport

LOW_DISK_BYTES = 1_000_000_000  # a day of scans is a few MB; logs and backups need room
FULL_DISK_BYTES = 100_000_000
STALE_AFTER_S = 6 * 3600


def check_data(settings: DoctorSettings) -> Iterator[Finding]:
    report = inspection.inspect_file(settings.data_dir)
    yield _file_finding(report)
    yield from _disk(settings.data_dir)
    yield _folder_rights(settings.data_dir)
    yield from _key(report)
    if report.usable:
        yield from _contents(settings.data_dir, settings.clock.now())


def _file_finding(report: FileReport) -> Finding:
    details: dict[str, object] = {
        "path": str(report.path),
        "revision": report.revision,
        "head": report.head,
    }
    if not report.exists:
        return Finding(
            "data_file",
            Level.INFO,
            f"no data file yet at {report.path}",
            f"enrol this device (`{program()} enroll URL CODE`) or import a snapshot to start",
            details,
        )
    if report.problem is not None:
        return Finding(
            "data_file",
            Level.PROBLEM,
            f"{report.path} cannot be read as a data file ({report.problem})",
            "move the file aside (keep it for support) and enrol again or import a snapshot",
            details,
        )
    if report.damage:
        return Finding(
            "data_file",
            Level.PROBLEM,
            f"{report.path} is damaged: {report.damage[0]}",
            f"copy the file for support, export what waits (`{program()} export-journal FILE "
            "--pending-only`) if it still opens, then move the file aside and enrol again",
            {**details, "damage": list(report.damage)},
        )
    if report.newer:
        return Finding(
            "data_file",
            Level.PROBLEM,
            f"{report.path} was written by a newer build (schema {report.revision}, "
            f"this build knows up to {report.head})",
            "install the newer build again; this one will not open the file",
            details,
        )
    if report.upgrade_pending:
        return Finding(
            "data_file",
            Level.WARNING,
            f"schema {report.revision} will be upgraded to {report.head} on the next start",
            "copy the data file as a backup before the first start of this build",
            details,
        )
    return Finding("data_file", Level.OK, f"data file intact, schema {report.head}", "", details)


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _disk(folder: Path) -> Iterator[Finding]:
    usage = shutil.disk_usage(_existing(folder))
    free_mb = usage.free // 1_000_000
    details: dict[str, object] = {"free_bytes": usage.free, "folder": str(folder)}
    if usage.free < FULL_DISK_BYTES:
        level, words = Level.PROBLEM, "scans may soon fail to be recorded"
    elif usage.free < LOW_DISK_BYTES:
        level, words = Level.WARNING, "space is getting low"
    else:
        yield Finding("disk", Level.OK, f"{free_mb} MB free", "", details)
        return
    yield Finding(
        "disk",
        level,
        f"only {free_mb} MB free on the disk of {folder}: {words}",
        "free some disk space (old videos, downloads, the trash)",
        details,
    )


def _folder_rights(folder: Path) -> Finding:
    details: dict[str, object] = {"folder": str(folder)}
    target = _existing(folder)
    try:
        with tempfile.TemporaryFile(dir=target):
            pass
    except OSError as exc:
        return Finding(
            "folder",
            Level.PROBLEM,
            f"cannot write in {target} ({exc.strerror})",
            f"give this user write access to {target}, or choose another --data-dir",
            details,
        )
    if folder.exists() and stat.S_IMODE(folder.stat().st_mode) & 0o077:
        return Finding(
            "folder",
            Level.WARNING,
            f"{folder} is readable by other users of this computer",
            f"restrict it to this user: chmod 700 '{folder}'",
            details,
        )
    if not folder.exists():
        return Finding("folder", Level.OK, f"{folder} will be made in {target}", "", details)
    return Finding("folder", Level.OK, f"{folder} is writable by this user only", "", details)


def _key(report: FileReport) -> Iterator[Finding]:
    path = sealing.key_path()
    details: dict[str, object] = {"path": str(path)}
    sealed = _sealed_values(report)
    if not path.exists():
        if sealed or report.encrypted:
            yield Finding(
                "device_key",
                Level.PROBLEM,
                f"the device key {path} is missing, so the data file (encrypted with it) and "
                "the enrolment token cannot be opened",
                "restore the key file from this device's backup, or enrol the device again",
                details,
            )
        else:
            yield Finding(
                "device_key",
                Level.OK,
                "no device key yet (made when the device enrols)",
                "",
                details,
            )
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    problem = sealing.key_problem(path, sealed)
    if problem is None and report.encrypted and report.problem is not None:
        problem = f"the device key {path} is not the one that encrypted this data file"
    if problem is not None:
        yield Finding(
            "device_key",
            Level.PROBLEM,
            problem,
            "restore the right key file from a backup, or enrol the device again",
            details,
        )
    elif mode & 0o077:
        yield Finding(
            "device_key",
            Level.WARNING,
            f"the device key {path} is readable by other users",
            f"chmod 600 '{path}'",
            details,
        )
    else:
        yield Finding("device_key", Level.OK, f"device key present ({path})", "", details)


def _sealed_values(report: FileReport) -> list[str]:
    if not report.usable:
        return []
    token = inspection.device_on_file(report.path.parent).sealed_token
    return [token] if token and token.startswith(sealing.PREFIX) else []


def _contents(folder: Path, now: datetime) -> Iterator[Finding]:
    found = inspection.contents(folder)
    waiting, enrolled = found.pending, found.enrolled
    if waiting and enrolled:
        yield Finding(
            "unsynced",
            Level.WARNING,
            f"{waiting} scans not uploaded yet",
            f"they upload by themselves when the server is reachable; `{program()} sync` now",
            {"pending": waiting},
        )
    elif waiting:
        yield Finding(
            "unsynced",
            Level.INFO,
            f"{waiting} scans recorded on this device only (not enrolled with a server)",
            f"hand them over with `{program()} export-journal FILE` when the event ends",
            {"pending": waiting},
        )
    else:
        yield Finding("unsynced", Level.OK, "nothing waits for upload", "", {"pending": 0})
    yield _freshness(inspection.event_on_file(folder), now, enrolled)


def _freshness(event: inspection.EventOnFile | None, now: datetime, enrolled: bool) -> Finding:
    if event is None:
        return Finding(
            "snapshot",
            Level.WARNING,
            "no event loaded: every code will be refused",
            f"enrol this device (`{program()} enroll URL CODE`) or import the event's snapshot",
        )
    times = [event.snapshot_generated_at, event.last_pull_at, event.imported_at]
    newest = max(datetime.fromisoformat(t) for t in times if t)
    age_s = (now - newest).total_seconds()
    details: dict[str, object] = {"data_as_of": newest.isoformat(), "age_s": round(age_s)}
    hours = age_s / 3600
    if age_s <= STALE_AFTER_S:
        return Finding("snapshot", Level.OK, f"attendee data {hours:.1f} h old", "", details)
    advice = (
        f"connect to the network and run `{program()} sync`"
        if enrolled
        else "import a fresh snapshot from the ticketing platform"
    )
    return Finding(
        "snapshot",
        Level.WARNING,
        f"attendee data is {hours:.0f} h old: tickets sold or canceled since are unknown here",
        advice,
        details,
    )
