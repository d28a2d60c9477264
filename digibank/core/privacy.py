"""What may leave a digibank: counts, and only counts that cannot single out a person."""

from __future__ import annotations

from django.conf import settings


def publishable(count: int) -> int | None:
    """The count, or None when it is below the threshold (default 5) that could point to someone."""
    return count if count >= settings.MIN_PUBLISHED_COUNT else None


def _total_gives_away(hidden: list[int], threshold: int) -> bool:
    """Whether publishing a column's total would let someone work out a hidden count. Anyone knows a
    hidden count lies in 0..threshold-1 and that the hidden ones add up to total minus the shown ones:
    the total is withheld when that sum is small, or when it pins one hidden count to a single value.
    Hidden counts that add up to 0 give away only that nobody is there, so that total may show."""
    if not hidden or sum(hidden) == 0:
        return False
    n, s, most = len(hidden), sum(hidden), threshold - 1
    lowest, highest = max(0, s - (n - 1) * most), min(most, s)
    return s < threshold or lowest == highest


def suppress_table(columns: dict[str, list[int]]) -> tuple[dict[str, list[int | None]], dict[str, int | None]]:
    """Counts per digibank (one list per column, one value per digibank) as they may leave: every
    count below the threshold withheld (None), and the column's total withheld as well where, with
    the counts shown, it would give a withheld count away (secondary suppression)."""
    threshold = settings.MIN_PUBLISHED_COUNT
    cells = {name: [publishable(n) for n in values] for name, values in columns.items()}
    totals: dict[str, int | None] = {}
    for name, values in columns.items():
        hidden = [n for n, shown in zip(values, cells[name]) if shown is None]
        totals[name] = None if _total_gives_away(hidden, threshold) else publishable(sum(values))
    return cells, totals
