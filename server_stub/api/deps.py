"""Typed dependencies: the database, and who calls (device or organizer, for which event).

Routes that need a token use `AuthenticatedRoute`: it checks the token before FastAPI reads or
validates the body, so a caller without one learns nothing about the schema (401, not 422).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from server_stub.api.errors import ApiError
from server_stub.db import Database
from server_stub.services.devices import DeviceRevoked, Principal, authenticate


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DbDep = Annotated[Database, Depends(get_db)]


def server_now(request: Request) -> datetime:
    """The server's clock now (Settings.clock): told to devices, and their entries' receipt."""
    clock: Callable[[], datetime] = request.app.state.settings.clock
    return clock()


NowDep = Annotated[datetime, Depends(server_now)]

_bearer = HTTPBearer(
    auto_error=False,
    description="A device token (from /enroll) or an organizer token (from the admin CLI).",
)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _authenticate(request: Request) -> Principal:
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "token_missing", "send 'Authorization: Bearer <token>'", _CHALLENGE)
    try:
        with get_db(request).reading() as session:
            principal = authenticate(session, token)
    except DeviceRevoked:
        raise ApiError(
            401, "device_revoked", "the organizer revoked this device; re-enrol it", _CHALLENGE
        ) from None
    if principal is None:
        raise ApiError(401, "token_invalid", "the token is unknown or revoked", _CHALLENGE)
    return principal


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class AuthenticatedRoute(APIRoute):
    """A route whose caller is known (or refused with 401) before its body is looked at."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def authenticated(request: Request) -> Response:
            request.state.principal = await run_in_threadpool(_authenticate, request)
            return await handler(request)

        return authenticated


def get_principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],  # for docs
) -> Principal:
    principal: Principal | None = getattr(request.state, "principal", None)
    return principal if principal is not None else _authenticate(request)


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
