"""`doctor`: what is wrong with this installation, in words, with what to do about it.

Each check returns findings; the worst finding decides the exit code. Checks never change the
data file, never create the device key and send traffic only to the enrolled server. Qt is probed
in a child process (a missing platform plugin aborts the process that loads it).
"""

from __future__ import annotations

import logging

from scanner.app import doctor_data, doctor_devices, doctor_qt, doctor_server
from scanner.app.findings import Check, DoctorSettings, Finding, Level, worst

__all__ = ["Check", "DoctorSettings", "Finding", "Level", "checks", "diagnose", "worst"]
log = logging.getLogger(__name__)


def checks() -> dict[str, Check]:
    return {
        "data": doctor_data.check_data,
        "server": doctor_server.check_server,
        "decoders": doctor_devices.check_decoders,
        "camera": doctor_devices.check_cameras,
        "qt": doctor_qt.check_qt,
    }


def diagnose(settings: DoctorSettings) -> list[Finding]:
    findings: list[Finding] = []
    for name, check in checks().items():
        if name in settings.skip:
            continue
        try:
            findings.extend(check(settings))
        except Exception as exc:  # a check that breaks is itself a finding, never a crash
            log.exception("doctor check %s failed", name)
            findings.append(
                Finding(
                    name,
                    Level.PROBLEM,
                    f"the {name} check itself failed ({type(exc).__name__}: {exc})",
                    "report this with the log file; the other checks still ran",
                )
            )
    return findings
