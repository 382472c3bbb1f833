"""Parameter counts as people read them (7.24B), and the size buckets the index filters by."""
from __future__ import annotations

# (key, label, lowest count, below this count) like the Hub's buckets, with two more for the
# small models most catalogs hold.
SIZE_BUCKETS = (
    ("lt100m", "< 100M", 0, 100_000_000),
    ("100m-1b", "100M – 1B", 100_000_000, 10**9),
    ("1-3b", "1B – 3B", 10**9, 3 * 10**9),
    ("3-6b", "3B – 6B", 3 * 10**9, 6 * 10**9),
    ("6-9b", "6B – 9B", 6 * 10**9, 9 * 10**9),
    ("9-12b", "9B – 12B", 9 * 10**9, 12 * 10**9),
    ("12-24b", "12B – 24B", 12 * 10**9, 24 * 10**9),
    ("24-32b", "24B – 32B", 24 * 10**9, 32 * 10**9),
    ("32-64b", "32B – 64B", 32 * 10**9, 64 * 10**9),
    ("gt64b", "> 64B", 64 * 10**9, 1 << 62),
)


UNKNOWN = ("unknown", "Size unknown", 0, 0)


def bucket(params: int) -> str:
    """The key of the size bucket a parameter count falls in (0: unknown)."""
    return next((key for key, _, lo, hi in SIZE_BUCKETS if params and lo <= params < hi), UNKNOWN[0])


def short_count(n: int) -> str:
    """A count in three significant digits with a unit: 7.24B, 110M, 52.3K, 950."""
    for unit, scale in (("T", 10**12), ("B", 10**9), ("M", 10**6), ("K", 10**3)):
        if n >= scale * 0.9995:
            return f"{n / scale:.3g}{unit}"
    return str(n)
