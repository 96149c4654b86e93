"""A doctor check's words: the settings every check is given, the findings it returns and how
bad each is. The checks (`doctor_*`) and the checklist that runs them (`doctor`) share these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from scanner.app.clock import Clock, SystemClock


class Level(IntEnum):
    OK = 0
    INFO = 1  # worth knowing, nothing to fix
    WARNING = 2  # the door works, but look at it
    PROBLEM = 3  # something the door needs does not work


@dataclass(frozen=True)
class Finding:
    check: str
    level: Level
    summary: str
    advice: str = ""  # what to do; every finding above INFO has one
    details: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "check": self.check,
            "level": self.level.name.lower(),
            "summary": self.summary,
            "advice": self.advice,
            "details": self.details,
        }


@dataclass
class DoctorSettings:
    data_dir: Path
    camera: str | None = None  # a source spec to try instead of the attached cameras
    timeout_s: float = 3.0  # per network call and per camera
    clock: Clock = field(default_factory=SystemClock)
    skip: frozenset[str] = frozenset()  # check names left out (e.g. "qt" on a server)

    @classmethod
    def for_folder(
        cls,
        explicit: str | None,
        camera: str | None = None,
        timeout_s: float = 3.0,
        skip: frozenset[str] = frozenset(),
    ) -> DoctorSettings:
        """Settings for --data-dir, else $SCANNER_DATA_DIR, else the platform's data folder."""
        from scanner.store.location import data_dir

        return cls(data_dir(explicit), camera=camera, timeout_s=timeout_s, skip=skip)


Check = Callable[[DoctorSettings], Iterable[Finding]]


def worst(findings: Iterable[Finding]) -> Level:
    return max((f.level for f in findings), default=Level.OK)
