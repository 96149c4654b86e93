"""What door devices call: the snapshot, the changes since a cursor, and check-in upload."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from server_stub.api.deps import (
    AuthenticatedRoute,
    DbDep,
    DeviceDep,
    EventDep,
    NowDep,
    server_now,
)
from server_stub.api.errors import ApiError, responses
from server_stub.db import Database
from server_stub.models import Event, utcnow
from server_stub.schemas import ChangesResponse, CheckinBatch, CheckinResponse
from server_stub.services.change_signal import ChangeSignal
from server_stub.services.changes import ChangePage, SnapshotRequired, parse_cursor, read_changes
from server_stub.services.device_status import note_upload
from server_stub.services.ingest import Uploader, ingest
from server_stub.services.pruning import record_cursor
from server_stub.services.snapshot import snapshot_lines

router = APIRouter(route_class=AuthenticatedRoute, tags=["devices"])

WAIT_HEADER = "Changes-Wait"  # the seconds a long-poll was held open at most (docs/sync.md)
WAIT_TEXT = (
    "seconds to hold the answer while nothing is new: it comes the moment a change lands, or"
    " empty when the time is up (capped by the server; the Changes-Wait header says how long)"
)

NDJSON: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the snapshot file (docs/snapshot-format.md), streamed",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/events/{event_id}/snapshot",
    response_class=StreamingResponse,
    responses={**NDJSON, **responses(401, 403)},
)
def snapshot(
    event_id: str,
    who: EventDep,
    db: DbDep,
    request: Request,
    secrets: Annotated[Literal["include", "omit"], Query()] = "omit",
) -> StreamingResponse:
    """The event's signed attendee snapshot; its header's `cursor` starts `changes`.

    Minting secrets (HS256 keys, the SEEDJSON secret if the event shares it) are left out unless
    an enrolled device asks with `secrets=include` (doors need them to verify such codes)."""
    if secrets == "include" and who.kind != "device":
        raise ApiError(403, "device_token_required", "only enrolled devices get minting secrets")
    if who.kind == "device":  # it will hold at least the log up to now (pruning keeps the rest)
        with db.reading() as session:
            event = session.get(Event, event_id)
            assert event is not None
            held = event.last_seq
        _holds(db, request, who.id, held)
    lines = snapshot_lines(
        db, event_id, request.app.state.signing_secret, secrets=secrets == "include"
    )
    return StreamingResponse(lines, media_type="application/x-ndjson")


@router.get(
    "/events/{event_id}/changes",
    response_model=ChangesResponse,
    responses={
        200: {"headers": {WAIT_HEADER: {"description": "the wait held, when `wait` was given"}}},
        **responses(400, 401, 403, 410, 422),
    },
)
async def changes(
    event_id: str,
    who: EventDep,
    db: DbDep,
    request: Request,
    response: Response,
    since: Annotated[str | None, Query(pattern=r"^[0-9]{1,18}$")] = None,
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
    wait: Annotated[float | None, Query(ge=0, le=3600, description=WAIT_TEXT)] = None,
) -> ChangesResponse:
    """Records (ticket, revocation, passage, annulment) after `since`; 410 means re-snapshot.
    With `wait`, an answer with nothing new is held until a change lands (a long-poll)."""
    try:
        cursor = parse_cursor(since)
    except ValueError as exc:
        raise ApiError(400, "bad_cursor", str(exc)) from None
    settings = request.app.state.settings
    page_size = limit or settings.changes_page
    read = partial(_read_page, db, event_id, cursor, page_size)
    # Database work in the thread pool; the wait itself holds no thread and no connection.
    page = await run_in_threadpool(read)
    if who.kind == "device" and cursor:
        await run_in_threadpool(_holds, db, request, who.id, cursor)
    if wait is not None:
        held = min(wait, settings.changes_max_wait_s)
        response.headers[WAIT_HEADER] = f"{held:g}"
        if not page.records and held > 0 and await _changed(request, event_id, cursor, held):
            page = await _shared(request, (event_id, cursor, page_size), read)
    # The server's time as it answers, not as it was asked: a held answer would skew the door's
    # measure of its clock by the wait.
    return ChangesResponse(
        cursor=page.cursor, records=page.records, more=page.more, server_time=server_now(request)
    )


async def _changed(request: Request, event_id: str, cursor: int, held: float) -> bool:
    """The wait for a change after `cursor`, cut short when the door hangs up (a door that
    closed or lost its network leaves no waiter behind for the rest of the wait)."""
    signal: ChangeSignal = request.app.state.change_signal
    waiting = asyncio.ensure_future(signal.wait_for_change(event_id, cursor, held))
    gone = asyncio.ensure_future(_hung_up(request))
    try:
        await asyncio.wait((waiting, gone), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (gone, waiting):
            task.cancel()
        await asyncio.gather(gone, waiting, return_exceptions=True)
    return not waiting.cancelled() and waiting.result()


async def _shared(
    request: Request, key: tuple[str, int, int], read: Callable[[], ChangePage]
) -> ChangePage:
    """One change wakes every door waiting at the same cursor: they share one read of it
    (300 reads at once would queue on the thread pool for seconds). A door that joins a read
    begun just before a newer change gets the rest when it asks again."""
    reads: dict[tuple[str, int, int], asyncio.Future[ChangePage]] = request.app.state.page_reads
    pending = reads.get(key)
    if pending is None:
        pending = reads[key] = asyncio.ensure_future(run_in_threadpool(read))
        pending.add_done_callback(lambda _: reads.pop(key, None))
    return await asyncio.shield(pending)  # a door hanging up does not cancel the others' read


async def _hung_up(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


def _read_page(db: Database, event_id: str, cursor: int, page_size: int) -> ChangePage:
    with db.reading() as session:
        event = session.get(Event, event_id)
        assert event is not None  # a token's event exists
        try:
            return read_changes(session, event, cursor, page_size)
        except SnapshotRequired:
            raise ApiError(
                410, "snapshot_required", "this cursor is older than the server keeps"
            ) from None


def _holds(db: Database, request: Request, device_id: str, cursor: int) -> None:
    """Note the cursor a door holds (pruning keeps what it still needs); written only when it
    moved, so a door polling an idle event costs no write."""
    noted: dict[str, int] = request.app.state.cursors
    if noted.get(device_id) == cursor:
        return
    with db.writing() as session:
        record_cursor(session, device_id, cursor, utcnow())
    noted[device_id] = cursor


@router.post(
    "/events/{event_id}/checkins",
    response_model=CheckinResponse,
    responses=responses(401, 403, 413, 422),
)
def upload_checkins(
    event_id: str,
    batch: CheckinBatch,
    who: DeviceDep,
    db: DbDep,
    now: NowDep,
    user_agent: Annotated[str | None, Header(description="the door's build")] = None,
    date: Annotated[str | None, Header(description="the door's clock (RFC 9110)")] = None,
    door_waiting: Annotated[
        str | None, Header(description="entries the door holds besides these")
    ] = None,
) -> dict[str, Any]:
    """Store journal entries once each (idempotent by `id`); answer per entry, in order. The
    optional headers feed the organizer's device list; odd values are ignored, never refused."""
    with db.event_lock(event_id), db.writing() as session:
        results = ingest(session, event_id, Uploader(who.id, who.checkin_list), batch.entries, now)
        note_upload(session, who.id, now, user_agent, date, door_waiting)
    return {"results": results, "server_time": now}
