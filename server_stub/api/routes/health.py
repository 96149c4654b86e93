from __future__ import annotations

from fastapi import APIRouter

from server_stub import __version__
from server_stub.api.deps import NowDep
from server_stub.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(now: NowDep) -> Health:
    """Liveness, without a token. Devices also read the server's clock from it."""
    return Health(status="ok", version=__version__, server_time=now)
