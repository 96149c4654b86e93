"""Organizers annul an admission any door recorded (doors may annul only their own)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from scanner.checkin.reasons import Outcome, Reason
from server_stub.api.deps import AuthenticatedRoute, DbDep, OrganizerDep
from server_stub.api.errors import ApiError, responses
from server_stub.api.ratelimit import rate_limited
from server_stub.models import Checkin, utcnow
from server_stub.schemas import CheckinEntry, CheckinResult, FactText
from server_stub.services.ingest import Uploader, ingest

router = APIRouter(
    route_class=AuthenticatedRoute,
    tags=["organizers"],
    dependencies=[Depends(rate_limited("organizer"))],
)


class AnnulRequest(BaseModel):
    reason: FactText = Field(min_length=1, description="why, for the record")


@router.post(
    "/events/{event_id}/checkins/{entry_id}/annul",
    response_model=CheckinResult,
    responses=responses(401, 403, 404, 429),
)
def annul(
    event_id: str, entry_id: uuid.UUID, body: AnnulRequest, who: OrganizerDep, db: DbDep
) -> dict[str, Any]:
    """Store an undo of the entry in the organizer's name and apply it (idempotent)."""
    now = utcnow()
    undo = CheckinEntry.model_validate(
        {
            "id": uuid.uuid4(),
            "device_seq": 0,
            "kind": "undo",
            "outcome": Outcome.REJECTED,
            "reason": Reason.OK,
            "door": "organizer",
            "operator": who.id,
            "scanned_at": now.isoformat(),
            "annuls": entry_id,
            "note": body.reason,
        }
    )
    with db.event_lock(event_id), db.writing() as session:
        if session.get(Checkin, (event_id, str(entry_id))) is None:
            raise ApiError(404, "entry_unknown", "no check-in with this id in this event")
        (result,) = ingest(session, event_id, Uploader(who.id, may_annul_any=True), [undo], now)
    return result
