"""Secrets at rest: the device token and signing-capable keys are sealed (AES-256-GCM) with a
device key kept outside the data file.

A copied data file (a backup, a support bundle, a file sent by mail) then holds no secret that
lets anyone mint tickets or impersonate the door. The key file lives in the user's config folder
(or $SCANNER_KEY_FILE), readable by this user only.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_ENV = "SCANNER_KEY_FILE"
PREFIX = "sealed:v1:"


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
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_device_key(key_path())).encrypt(nonce, plain.encode("utf-8"), PREFIX.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(stored: str) -> str:
    """The plain text of a sealed value; values stored unsealed (public keys) pass through."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        plain = _open(_device_key(key_path()), stored)
    except InvalidTag:
        raise SealError(
            f"secrets in the data file were sealed with another device key than {key_path()}; "
            "restore that key file or re-enrol the device"
        ) from None
    return plain.decode("utf-8")


def _open(key: bytes, stored: str) -> bytes:
    raw = base64.urlsafe_b64decode(stored[len(PREFIX) :])
    return AESGCM(key).decrypt(raw[:12], raw[12:], PREFIX.encode())


def key_problem(path: Path, sealed: Iterable[str] = ()) -> str | None:
    """Why the key file at `path` cannot open the `sealed` values, or None. Reads only: never
    creates a key (for `doctor`)."""
    key = path.read_bytes()
    if len(key) != 32:
        return f"{path} is not a device key (expected 32 bytes, found {len(key)})"
    for value in sealed:
        try:
            _open(key, value)
        except (InvalidTag, ValueError):
            return f"the device key {path} is not the one that sealed this data file's secrets"
    return None


def derived_key(purpose: str) -> bytes:
    """A 32-byte key for one purpose (the data file's encryption), derived from the device key
    so that no key serves two purposes."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(_device_key(key_path()))
