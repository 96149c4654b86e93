from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from scanner.checkin.keyring import b64u_encode
from scanner.checkin.snapshot_file import key_fingerprint
from server_stub.api.deps import DbDep, NowDep
from server_stub.api.errors import ApiError, responses
from server_stub.api.ratelimit import RateLimiter, client_address, rate_limited
from server_stub.schemas import EnrollRequest, EnrollResponse
from server_stub.services.devices import EnrollError, enroll
from server_stub.services.platform import peer_secret, public_key

# Only wrong codes count against an address: a venue enrolling a dozen doors at once from behind
# one NAT address must not be throttled, while guessing codes is.
router = APIRouter(
    tags=["devices"], dependencies=[Depends(rate_limited("enroll", failures_only=True))]
)


@router.post("/enroll", response_model=EnrollResponse, responses=responses(403, 413, 422, 429))
def enroll_device(body: EnrollRequest, db: DbDep, request: Request, now: NowDep) -> EnrollResponse:
    """Trade a one-time enrolment code (from `scanner-server enroll-code`) for a device token.

    The answer names the platform's snapshot-signing key: the device trusts it from now on.
    """
    try:
        with db.writing() as session:
            device, token = enroll(session, body.code, body.name)
    except EnrollError as exc:
        limiter: RateLimiter = request.app.state.limiters["enroll"]
        limiter.take(client_address(request))
        raise ApiError(403, exc.reason, exc.detail) from None
    signing_secret = request.app.state.signing_secret
    public = public_key(signing_secret)
    return EnrollResponse(
        device_id=device.id,
        token=token,
        event_id=device.event_id,
        door=device.door,
        checkin_list=device.checkin_list,
        platform_public_b64u=b64u_encode(public),
        platform_fingerprint=key_fingerprint(public),
        server_time=now,
        peer_secret_b64u=b64u_encode(peer_secret(signing_secret, device.event_id)),
    )
