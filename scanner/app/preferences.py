"""Door and window settings kept in the store, so a restarted door comes back as it was."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

from scanner.store.store import Store

PREFIX = "door."
S = TypeVar("S")


@dataclass(frozen=True)
class Preferences:
    door: str | None = None
    checkin_list: str | None = None  # chosen on purpose (a list's id, or door.ALL_TYPES)
    exit: bool = False
    operator: str | None = None
    camera: str | None = None  # a source spec, as for `scanner scan --source`
    resolution: str | None = None  # "WxH" or "default" (camera_choice.RESOLUTIONS)
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
    return load_kind(store, Preferences, PREFIX)


def save(store: Store, **changes: object) -> None:
    save_kind(store, Preferences, PREFIX, **changes)


def load_kind(store: Store, kind: type[S], prefix: str) -> S:
    """Settings of `kind` (a dataclass of str, bool and float fields) kept under `prefix`."""

    known = fields(kind)  # type: ignore[arg-type]
    stored = store.app_settings(prefix + field.name for field in known)
    values: dict[str, object] = {}
    for field in known:
        text = stored.get(prefix + field.name)
        if text is not None:
            try:
                values[field.name] = _parse(field.type, text)
            except ValueError:
                continue  # an unreadable setting falls back to its default
    return kind(**values)


def save_kind(store: Store, kind: type, prefix: str, **changes: object) -> None:
    known = {field.name for field in fields(kind)}
    unknown = set(changes) - known
    if unknown:
        raise KeyError(f"unknown setting {sorted(unknown)[0]!r}")

    store.save_app_settings({prefix + name: _text(value) for name, value in changes.items()})


def _text(value: object) -> str:
    return ("1" if value else "0") if isinstance(value, bool) else str(value or "")
