"""Secrets at rest: the device token and signing-capable keys are sealed (AES-256-GCM) with a
device key kept outside the data file.

A copied data file (a backup, a support bundle, a file sent by mail) then holds no secret that
lets anyone mint tickets or impersonate the door. The key file lives in the user's config folder
(or $SCANNER_KEY_FILE), readable by this user only.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import platformdirs
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from scanner.checkin import sealing
from scanner.checkin.sealing import PREFIX as PREFIX  # the door's sealed values start so
from scanner.checkin.sealing import SealedValueError

KEY_ENV = "SCANNER_KEY_FILE"


class SealError(RuntimeError):
    """A sealed value cannot be opened: the device key is missing or not the one that sealed it."""


def key_path() -> Path:
    explicit = os.environ.get(KEY_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir("door-scanner", appauthor=False)) / "device.key"


@cache
def _device_key(path: Path) -> bytes:
    if path.exists():
        key = path.read_bytes()
        if len(key) != 32:
            raise SealError(f"{path} is not a device key (expected 32 bytes)")
        return key
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(key)
    return key


def seal(plain: str) -> str:
    return sealing.seal(_device_key(key_path()), plain)


def unseal(stored: str) -> str:
    """The plain text of a sealed value; values stored unsealed (public keys) pass through."""
    if not sealing.is_sealed(stored):
        return stored
    try:
        return sealing.unseal(_device_key(key_path()), stored)
    except SealedValueError:
        raise SealError(
            f"secrets in the data file were sealed with another device key than {key_path()}; "
            "restore that key file or re-enrol the device"
        ) from None


def key_problem(path: Path, sealed: Iterable[str] = ()) -> str | None:
    """Why the key file at `path` cannot open the `sealed` values, or None. Reads only: never
    creates a key (for `doctor`)."""
    key = path.read_bytes()
    if len(key) != 32:
        return f"{path} is not a device key (expected 32 bytes, found {len(key)})"
    for value in sealed:
        try:
            sealing.unseal(key, value)
        except SealedValueError:
            return f"the device key {path} is not the one that sealed this data file's secrets"
    return None


def derived_key(purpose: str) -> bytes:
    """A 32-byte key for one purpose (the data file's encryption), derived from the device key
    so that no key serves two purposes."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(_device_key(key_path()))
