"""Shared timing helper for the benchmark scripts: medians of repeated runs."""

from __future__ import annotations

import statistics
import time


def median_seconds(function, *, repeats: int = 15, warmup: int = 2) -> float:
    """Median wall time of ``function()`` over ``repeats`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
