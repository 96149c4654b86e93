"""Typed dependencies: the database, and who calls (device or organizer, for which event)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server_stub.api.errors import ApiError
from server_stub.db import Database
from server_stub.services.devices import DeviceRevoked, Principal, authenticate


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DbDep = Annotated[Database, Depends(get_db)]

_bearer = HTTPBearer(
    auto_error=False,
    description="A device token (from /enroll) or an organizer token (from the admin CLI).",
)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def get_principal(
    db: DbDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise ApiError(401, "token_missing", "send 'Authorization: Bearer <token>'", _CHALLENGE)
    try:
        with db.reading() as session:
            principal = authenticate(session, credentials.credentials)
    except DeviceRevoked:
        raise ApiError(
            401, "device_revoked", "the organizer revoked this device; re-enrol it", _CHALLENGE
        ) from None
    if principal is None:
        raise ApiError(401, "token_invalid", "the token is unknown or revoked", _CHALLENGE)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def event_principal(event_id: str, principal: PrincipalDep) -> Principal:
    """A token reaches its own event only; every other event id is 403, existing or not."""
    if principal.event_id != event_id:
        raise ApiError(403, "wrong_event", "this token belongs to another event")
    return principal


EventDep = Annotated[Principal, Depends(event_principal)]


def device_principal(principal: EventDep) -> Principal:
    if principal.kind != "device":
        raise ApiError(403, "device_token_required", "only enrolled devices upload check-ins")
    return principal


def organizer_principal(principal: EventDep) -> Principal:
    if principal.kind != "organizer":
        raise ApiError(403, "organizer_token_required", "this needs an organizer token")
    return principal


DeviceDep = Annotated[Principal, Depends(device_principal)]
OrganizerDep = Annotated[Principal, Depends(organizer_principal)]
