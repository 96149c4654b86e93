"""Every refusal is `{"reason": <machine-readable>, "detail": <for people>}` with a 4xx status.

Validation errors, unknown routes, wrong methods and anything unforeseen are mapped here, so no
client ever has to parse FastAPI's default shapes, and an unexpected error says nothing inside.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server_stub.schemas import ErrorBody

log = logging.getLogger("server_stub")

REASONS_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    410: "gone",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


class ApiError(Exception):
    def __init__(
        self, status: int, reason: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.reason = reason
        self.detail = detail
        self.headers = headers


def error_response(
    status: int, reason: str, detail: Any, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"reason": reason, "detail": detail}, status_code=status, headers=headers)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the refusals a route can give (schemathesis checks they match).

    400 and 422 are always listed: any request can be malformed, and FastAPI would otherwise
    document its own 422 shape instead of ErrorBody.
    """
    return {status: {"model": ErrorBody} for status in sorted({*statuses, 400, 422})}


def _problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only location, message and type: echoing the input back could reflect tokens or junk.
    return [
        {"loc": [str(part) for part in err.get("loc", ())], "msg": str(err.get("msg", ""))}
        for err in exc.errors()
    ]


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.reason, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _problems(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        reason = REASONS_BY_STATUS.get(exc.status_code, "error")
        headers = dict(exc.headers) if exc.headers else None
        return error_response(exc.status_code, reason, str(exc.detail), headers)


class CatchAll:
    """Turns any unforeseen exception into a 500 with the usual body, and logs it without its
    message (which may quote SQL parameters): tokens and attendee data stay out of logs.

    Starlette's own handler for Exception would re-raise for the server to log in full."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            where = "".join(traceback.format_tb(exc.__traceback__))
            path = scope.get("path", "?")
            log.error("unexpected %s on %s\n%s", type(exc).__name__, path, where)
            if started or scope["type"] != "http":
                return  # a stream cut short: the client sees no end record and refuses it
            response = error_response(500, "internal_error", "the server failed; see its log")
            await response(scope, receive, send)
