"""Exponential backoff with jitter, so many doors coming back online do not retry in step."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base_s: float = 1.0
    cap_s: float = 60.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def failed(self) -> float:
        """Record a failure; the delay before the next attempt."""
        self.failures += 1
        ceiling = min(self.cap_s, self.base_s * 2 ** (self.failures - 1))
        return float(ceiling * (0.5 + self.rng.random() / 2))

    def succeeded(self) -> None:
        self.failures = 0
