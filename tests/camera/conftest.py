"""A seeded corpus of rendered frames, made once per test session (a few seconds)."""

from __future__ import annotations

import pytest

from scanner.camera.cascade import Cascade
from scanner.camera.synthetic import Sample, TicketMint, corpus

CORPUS_SEED = 20260501
PER_CATEGORY = 12


@pytest.fixture(scope="session")
def samples() -> list[Sample]:
    return list(corpus(CORPUS_SEED, PER_CATEGORY))


@pytest.fixture(scope="session")
def mint() -> TicketMint:
    return TicketMint(CORPUS_SEED)


@pytest.fixture(scope="session")
def cascade() -> Cascade:
    return Cascade()
