"""Doctor on the link to the real companion API: reachable, token valid, clock, revoked, down."""

from __future__ import annotations

from pathlib import Path

from scanner.app.doctor import Level
from tests.doctor.conftest import Enrolled, run


def test_not_enrolled_is_fine_offline(data_dir: Path) -> None:
    finding = run(data_dir)["enrolment"]
    assert finding.level is Level.INFO and "enroll URL CODE" in finding.advice


def test_an_enrolled_device_with_the_server_up(enrolled: Enrolled) -> None:
    findings = run(enrolled.directory)
    assert findings["enrolment"].level is Level.OK
    assert findings["server"].level is Level.OK
    assert findings["token"].level is Level.OK
    assert findings["clock"].level is Level.OK
    assert abs(float(findings["clock"].details["offset_s"])) < 5  # type: ignore[arg-type]
    assert findings["unsynced"].level is Level.OK
    assert findings["snapshot"].level is Level.OK


def test_a_revoked_token_is_a_problem(enrolled: Enrolled) -> None:
    enrolled.revoke()
    finding = run(enrolled.directory)["token"]
    assert finding.level is Level.PROBLEM
    assert "no longer accepts" in finding.summary and "enrol again" in finding.advice


def test_a_server_that_is_down_is_a_warning_not_a_problem(enrolled: Enrolled) -> None:
    enrolled.stop_server()
    findings = run(enrolled.directory)
    finding = findings["server"]
    assert finding.level is Level.WARNING
    assert "cannot be reached" in finding.summary and "offline" in finding.advice
    assert "token" not in findings
