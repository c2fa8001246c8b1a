"""Cron expressions -> fire instants, with Debian cron's daylight-saving rules.

croniter walks naive wall-clock times; mapping those to real instants is where the care is:

* spring forward (a wall-clock gap): a job whose hour is fixed (``30 2 * * *``) fires ONCE at the
  first valid moment after the gap (the transition instant); several fixed times inside one gap
  collapse into that one firing. A job whose hour field is a wildcard (``*/15 * * * *``) simply
  has no firings in the hour that does not exist.
* fall back (a wall-clock hour happens twice): a fixed-hour job fires only on the first pass;
  a wildcard-hour job fires on both passes (it is "every hour", and both hours are real).

``next_fire`` is THE function the scheduler and ``swarmbridge schedule next`` both use.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


class CronError(ValueError):
    """An expression or timezone the scheduler cannot use (message says which and why)."""


@lru_cache(maxsize=4096)
def normalize(expr: str) -> str:
    """Expand an alias and check the expression: 5 fields, or 6 with seconds last."""
    text = " ".join(expr.split())
    text = ALIASES.get(text.lower(), text)
    if text.startswith("@"):
        raise CronError(f"unknown alias {expr!r} (known: {', '.join(sorted(ALIASES))}; @reboot is not supported)")
    n = len(text.split(" "))
    if n not in (5, 6):
        raise CronError(f"cron expression {expr!r} has {n} fields; expected 5 (min hour dom mon dow) or 6 (… seconds)")
    if not croniter.is_valid(text):
        raise CronError(f"invalid cron expression {expr!r}")
    return text


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; a clear error for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CronError(f"unknown timezone {name!r}") from exc


def _hour_is_wildcard(expr: str) -> bool:
    hour = expr.split(" ")[1]
    return hour == "*" or hour.startswith("*/")


def _exists(naive: datetime, tz: ZoneInfo, fold: int) -> bool:
    aware = naive.replace(tzinfo=tz, fold=fold)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def _gap_end(naive: datetime, tz: ZoneInfo) -> datetime:
    """The transition instant (UTC) of the gap containing the nonexistent wall time ``naive``."""
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)  # mapped with the offset after the gap
    hi = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)  # ... and before it
    lo, hi = min(lo, hi), max(lo, hi)
    before = lo.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return hi.replace(microsecond=0)


def _instants(naive: datetime, tz: ZoneInfo, wildcard_hour: bool) -> list[datetime]:
    """The real instants (UTC) at which the wall time ``naive`` fires, per the rules above."""
    ok0, ok1 = _exists(naive, tz, 0), _exists(naive, tz, 1)
    if not ok0 and not ok1:
        return [] if wildcard_hour else [_gap_end(naive, tz)]
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first == second or not wildcard_hour:
        return [first]
    return sorted({first, second})


#: How far a daylight-saving change can move wall-clock time (the largest shift in tzdata is 2 h;
#: 3 h leaves room). Only near a change must the search look this far back and ahead.
DST_SPAN = timedelta(hours=3)


def _steady(zi: ZoneInfo, instant: datetime) -> bool:
    """No UTC offset change within DST_SPAN either side of ``instant``."""
    off = instant.astimezone(zi).utcoffset()
    return (instant - DST_SPAN).astimezone(zi).utcoffset() == off == (instant + DST_SPAN).astimezone(zi).utcoffset()


def next_fire(expr: str, tz: str | ZoneInfo, after: datetime) -> datetime:
    """The first fire instant strictly after ``after`` (aware), as an aware datetime in ``tz``."""
    return _next_fire(expr, tz, after, exhaustive=False)


def _next_fire(expr: str, tz: str | ZoneInfo, after: datetime, *, exhaustive: bool) -> datetime:
    """Walk croniter's wall-clock times and map each to real instants. Near a daylight-saving
    change (or always, when ``exhaustive``: the reference the tests compare with) start DST_SPAN
    early, since a repeated hour can still fire after ``after``, and go on DST_SPAN past the best
    instant found; elsewhere wall time maps to instants in order, so the first one after ``after``
    is the answer (an every-minute job costs one step, not 360)."""
    text = normalize(expr)
    zi = zone(tz) if isinstance(tz, str) else tz
    if after.tzinfo is None:
        raise CronError("'after' must be timezone-aware")
    wildcard = _hour_is_wildcard(text)
    start = after.astimezone(zi).replace(tzinfo=None, fold=0)
    if exhaustive or not _steady(zi, after):
        start -= DST_SPAN
    it = croniter(text, start)
    best: datetime | None = None
    best_wall: datetime | None = None
    for _ in range(100_000):
        naive = it.get_next(datetime)
        if best_wall is not None and naive > best_wall:
            break
        for inst in _instants(naive, zi, wildcard):
            if inst > after and (best is None or inst < best):
                best = inst
                # go on past it only where a change is near (an earlier instant may come later)
                best_wall = best.astimezone(zi).replace(tzinfo=None) + (DST_SPAN if exhaustive or not _steady(zi, best) else timedelta(0))
    if best is None:
        raise CronError(f"{expr!r} never fires")
    return best.astimezone(zi)


def fire_times(expr: str, tz: str | ZoneInfo, after: datetime, count: int) -> Iterator[datetime]:
    """The next ``count`` fire instants after ``after``."""
    t = after
    for _ in range(count):
        t = next_fire(expr, tz, t)
        yield t
