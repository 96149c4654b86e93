"""Door and window settings kept in the store, so a restarted door comes back as it was."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from scanner.store import records
from scanner.store.store import Store

PREFIX = "door."


@dataclass(frozen=True)
class Preferences:
    door: str | None = None
    exit: bool = False
    operator: str | None = None
    camera: str | None = None  # a source spec, as for `scanner scan --source`
    mirror: bool = False
    hold_s: float = 4.0  # how long a verdict stays before "Ready"
    mute: bool = False
    volume: float = 0.8


def _parse(kind: Any, text: str) -> object:
    if kind in (bool, "bool"):
        return text == "1"
    if kind in (float, "float"):
        return float(text)
    return text or None


def load(store: Store) -> Preferences:
    def job(conn: Any) -> Preferences:
        values: dict[str, object] = {}
        for field in fields(Preferences):
            text = records.get_setting(conn, PREFIX + field.name)
            if text is not None:
                try:
                    values[field.name] = _parse(field.type, text)
                except ValueError:
                    continue  # an unreadable setting falls back to its default
        return Preferences(**values)  # type: ignore[arg-type]

    return store.read(job)


def save(store: Store, **changes: object) -> None:
    known = {field.name for field in fields(Preferences)}
    unknown = set(changes) - known
    if unknown:
        raise KeyError(f"unknown setting {sorted(unknown)[0]!r}")

    def job(conn: Any) -> None:
        for name, value in changes.items():
            text = ("1" if value else "0") if isinstance(value, bool) else str(value or "")
            records.put_setting(conn, PREFIX + name, text)

    store.writer.run(job)
