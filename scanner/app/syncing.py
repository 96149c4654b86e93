"""Wiring sync to a door's store and clock (the CLI and, later, the door window use this)."""

from __future__ import annotations

from pathlib import Path

from scanner.app.clock import Clock, SystemClock, monotonic_of
from scanner.store.store import Store
from scanner.sync.engine import ClientFactory, Syncer, default_client
from scanner.sync.service import DEFAULT_POLL_S, SyncService


def syncer_for(
    store: Store, clock: Clock | None = None, client_factory: ClientFactory = default_client
) -> Syncer:
    own = clock or SystemClock()
    return Syncer(store, own.now, client_factory, monotonic=monotonic_of(own))


def service_for(
    store: Store, clock: Clock | None = None, poll_s: float = DEFAULT_POLL_S
) -> SyncService:
    return SyncService(syncer_for(store, clock), poll_s)


def export_to(
    store: Store, path: Path, clock: Clock | None = None, pending_only: bool = False
) -> int:
    now = (clock or SystemClock()).now()
    return store.export_journal(path, now, pending_only)
