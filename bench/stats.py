"""Small statistics for timings: the median and the 95th percentile, in milliseconds."""

import statistics


def percentile(values, share):
    """The nearest-rank percentile: with 50 samples the p95 is the 48th smallest, an observed time, never a blend."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]


def timing(seconds):
    """``{"n", "median_ms", "p95_ms"}`` for a list of durations in seconds."""
    return {
        "n": len(seconds),
        "median_ms": round(1000 * statistics.median(seconds), 1),
        "p95_ms": round(1000 * percentile(seconds, 95), 1),
    }
