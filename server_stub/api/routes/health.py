from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from server_stub import __version__
from server_stub.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health() -> Health:
    """Liveness, without a token. Devices also read the server's clock from it."""
    return Health(status="ok", version=__version__, server_time=datetime.now(UTC))
