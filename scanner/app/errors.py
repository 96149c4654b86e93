"""Failures the door session's callers act on, re-exported so views and the command line need
not know which layer raised them."""

from scanner.store.device import DeviceLocked
from scanner.store.failures import DataFileDamaged, DiskFull, StoreError
from scanner.store.journal import NoSuchEntry, UndoError
from scanner.store.store import ImportRefused
from scanner.store.tickets import NoEventError
from scanner.sync.errors import SyncError, UnsentEntries

__all__ = [
    "DataFileDamaged",
    "DeviceLocked",
    "DiskFull",
    "ImportRefused",
    "NoEventError",
    "NoSuchEntry",
    "StoreError",
    "SyncError",
    "UndoError",
    "UnsentEntries",
]
