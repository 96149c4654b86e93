"""What organizers read: conflicts, live counts, and the check-in export."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from server_stub.api.deps import AuthenticatedRoute, DbDep, OrganizerDep
from server_stub.api.errors import responses
from server_stub.api.ratelimit import rate_limited
from server_stub.models import Event
from server_stub.schemas import ConflictsResponse, StatsResponse
from server_stub.services import reports

router = APIRouter(
    route_class=AuthenticatedRoute,
    tags=["organizers"],
    dependencies=[Depends(rate_limited("organizer"))],
)


@router.get(
    "/events/{event_id}/conflicts",
    response_model=ConflictsResponse,
    responses=responses(401, 403, 429),
)
def conflicts(event_id: str, _who: OrganizerDep, db: DbDep) -> dict[str, Any]:
    """Tickets admitted more than once (e.g. at two doors while offline): both records kept;
    and the devices whose clock was wrong (scan times ahead of our receipt)."""
    with db.reading() as session:
        event = session.get(Event, event_id)
        assert event is not None
        return {
            "event_id": event_id,
            "conflicts": reports.conflicts(session, event),
            "clock_wrong": reports.clock_wrong(session, event),
        }


@router.get(
    "/events/{event_id}/stats", response_model=StatsResponse, responses=responses(401, 403, 429)
)
def stats(event_id: str, _who: OrganizerDep, db: DbDep) -> dict[str, Any]:
    """Admitted against expected, per door and per ticket type."""
    with db.reading() as session:
        event = session.get(Event, event_id)
        assert event is not None
        return reports.stats(session, event)


@router.get(
    "/events/{event_id}/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **responses(401, 403, 429),
    },
)
def export_csv(event_id: str, _who: OrganizerDep, db: DbDep) -> StreamingResponse:
    """Every check-in (refused scans and undos too), oldest scan first."""
    headers = {"Content-Disposition": f'attachment; filename="checkins-{event_id}.csv"'}
    return StreamingResponse(
        reports.export_csv(db, event_id), media_type="text/csv; charset=utf-8", headers=headers
    )
