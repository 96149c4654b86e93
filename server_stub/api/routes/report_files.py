"""The organizer's report files: GET /events/{id}/reports/{kind}[.csv|.xlsx|.pdf].

The format comes from the extension, else from the Accept header (CSV when it says nothing).
The file is made in a worker thread into a spooled temporary file (memory up to 8 MiB, then
disk) and streamed from there, so a 150,000-entry report never sits in the server's memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from scanner.reports.model import Options
from scanner.reports.writers import (
    FORMATS,
    MEDIA_TYPES,
    ReportRequestError,
    Request,
    check_request,
    default_kind,
    produce,
)
from server_stub.api.deps import AuthenticatedRoute, DbDep, OrganizerDep
from server_stub.api.errors import ApiError, responses
from server_stub.api.ratelimit import rate_limited
from server_stub.db import Database
from server_stub.models import utcnow
from server_stub.services.report_rows import ServerReportSource

# Like every organizer endpoint: the token is checked before the query; callers are rate-limited.
router = APIRouter(
    route_class=AuthenticatedRoute,
    tags=["organizers"],
    dependencies=[Depends(rate_limited("organizer"))],
)
_ACCEPT = {media.split(";")[0]: fmt for fmt, media in MEDIA_TYPES.items()}


def report_format(kind: str, accept: str | None) -> tuple[str, str]:
    """(format, kind) from `scan-log.csv`, or from `scan-log` and the Accept header."""
    stem, dot, ext = kind.rpartition(".")
    if dot and ext in FORMATS:
        return ext, stem
    for media in (accept or "").split(","):
        fmt = _ACCEPT.get(media.split(";")[0].strip())
        if fmt:
            return fmt, kind
    if accept and "*/*" not in accept and "text/*" not in accept:
        raise ApiError(
            406, "format_not_available", f"reports come as {', '.join(MEDIA_TYPES.values())}"
        )
    return "csv", kind


@router.get(
    "/events/{event_id}/reports/{kind}",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                m.split(";")[0]: {"schema": {"type": "string"}} for m in MEDIA_TYPES.values()
            }
        },
        **responses(401, 403, 406, 422),
    },
)
async def report_file(
    event_id: str,
    kind: str,
    _who: OrganizerDep,
    db: DbDep,
    accept: Annotated[str | None, Header()] = None,
    names: Annotated[bool, Query(description="include holders' names")] = True,
    emails: Annotated[bool, Query(description="include e-mail addresses")] = False,
    delimiter: Annotated[str, Query(pattern="^[,;]$", description="CSV: , or ;")] = ",",
) -> StreamingResponse:
    """summary, arrivals, peaks, doors, scan-log, attendees, no-shows, conflicts, or full (XLSX
    and PDF): as CSV, XLSX or PDF by extension (`scan-log.csv`) or Accept header."""
    return await report_response(db, event_id, kind, accept, Options(names, emails), delimiter)


async def report_response(
    db: Database, event_id: str, kind: str, accept: str | None, options: Options, delimiter: str
) -> StreamingResponse:
    """The report file as an attachment (the organizer's page downloads through this too)."""
    fmt, kind = report_format(kind, accept)
    kind = kind or default_kind(fmt)
    try:
        check_request(fmt, kind)
    except ReportRequestError as exc:
        raise ApiError(422, "report_not_available", str(exc)) from None
    request = Request(fmt, kind, options, delimiter)
    spool = await run_in_threadpool(_make, db, event_id, request)
    filename = f"report-{event_id}-{kind}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(_chunks(spool), media_type=MEDIA_TYPES[fmt], headers=headers)


def _make(db: Database, event_id: str, request: Request) -> IO[bytes]:
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    produce(ServerReportSource(db, event_id), utcnow(), request, spool)
    spool.seek(0)
    return spool


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(256 * 1024):
            yield chunk
