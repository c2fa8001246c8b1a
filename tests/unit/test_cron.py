"""Cron edge cases: Debian-cron DST rules, Feb 29, seconds, aliases, a job's timezone changing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swarmbridge.scheduler.cron import CronError, fire_times, next_fire, normalize


def _iso(expr: str, tz: str, after: datetime, n: int) -> list[str]:
    return [t.isoformat() for t in fire_times(expr, tz, after, n)]


@pytest.mark.parametrize(
    ("tz", "start", "expected"),
    [
        ("Europe/Berlin", datetime(2026, 3, 28, tzinfo=UTC), ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]),
        ("America/New_York", datetime(2026, 3, 7, 12, tzinfo=UTC), ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"]),
    ],
)
def test_spring_forward_fires_once_at_first_valid_moment(tz: str, start: datetime, expected: list[str]) -> None:
    assert _iso("30 2 * * *", tz, start, 3) == expected


@pytest.mark.parametrize(
    ("tz", "expr", "start", "expected"),
    [
        ("Europe/Berlin", "30 2 * * *", datetime(2026, 10, 24, 12, tzinfo=UTC), ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]),
        ("America/New_York", "30 1 * * *", datetime(2026, 10, 31, 12, tzinfo=UTC), ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]),
    ],
)
def test_fall_back_fires_once(tz: str, expr: str, start: datetime, expected: list[str]) -> None:
    assert _iso(expr, tz, start, 2) == expected


def test_fall_back_after_first_pass_does_not_fire_again() -> None:
    # 02:30+02:00 already fired; asking from inside the repeated hour must go to the next day.
    after = datetime.fromisoformat("2026-10-25T02:45:00+01:00")
    assert next_fire("30 2 * * *", "Europe/Berlin", after).isoformat() == "2026-10-26T02:30:00+01:00"


def test_wildcard_hour_follows_real_hours_across_both_changes() -> None:
    autumn = _iso("0 * * * *", "Europe/Berlin", datetime(2026, 10, 24, 23, tzinfo=UTC), 3)
    assert autumn == ["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"]
    spring = _iso("0 * * * *", "Europe/Berlin", datetime(2026, 3, 28, 23, 30, tzinfo=UTC), 2)
    assert spring == ["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00"]


def test_several_times_in_one_gap_collapse_to_one_firing() -> None:
    times = _iso("15,45 2 * * *", "Europe/Berlin", datetime(2026, 3, 28, 12, tzinfo=UTC), 2)
    assert times == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:15:00+02:00"]


def test_feb_29_and_seconds_field() -> None:
    assert _iso("0 0 29 2 *", "UTC", datetime(2026, 1, 1, tzinfo=UTC), 2) == ["2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"]
    assert _iso("* * * * * */20", "UTC", datetime(2026, 1, 1, tzinfo=UTC), 3) == [
        "2026-01-01T00:00:20+00:00", "2026-01-01T00:00:40+00:00", "2026-01-01T00:01:00+00:00"]


def test_aliases_and_bad_input() -> None:
    assert normalize("@hourly") == "0 * * * *"
    assert normalize(" @DAILY ") == "0 0 * * *"
    for bad in ("@reboot", "* * *", "61 * * * *", "a b c d e"):
        with pytest.raises(CronError):
            normalize(bad)
    with pytest.raises(CronError, match="timezone"):
        next_fire("@daily", "Mars/Olympus", datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(CronError, match="aware"):
        next_fire("@daily", "UTC", datetime(2026, 1, 1))


def test_changing_a_jobs_timezone_moves_the_instant() -> None:
    after = datetime(2026, 6, 1, tzinfo=UTC)
    berlin = next_fire("0 9 * * *", "Europe/Berlin", after)
    tokyo = next_fire("0 9 * * *", "Asia/Tokyo", after)
    assert berlin.astimezone(UTC).hour == 7 and tokyo.astimezone(UTC).hour == 0


@settings(max_examples=12, deadline=None)
@given(
    minute=st.integers(0, 59), hour=st.integers(0, 23),
    tz=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Europe/London"]),
    start=st.sampled_from([datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 25, tzinfo=UTC), datetime(2026, 9, 28, tzinfo=UTC), datetime(2026, 10, 20, tzinfo=UTC)]),
)
def test_a_daily_job_fires_exactly_once_every_local_day(minute: int, hour: int, tz: str, start: datetime) -> None:
    times = list(fire_times(f"{minute} {hour} * * *", tz, start, 40))
    days = [t.date() for t in times]
    assert len(set(days)) == len(days) == 40  # never twice a day, never a day skipped
    assert all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False))
    for t in times:  # on its wall time, or (only in a spring gap) at the first valid moment after it
        assert (t.hour, t.minute) == (hour, minute) or (t.hour, t.minute) > (hour, minute)


EXPRS = ["* * * * *", "*/7 * * * *", "30 2 * * *", "0 3 * * *", "15 1,2,3 * * *", "0 * * * *", "0 0 * * 0", "45 23 31 12 *", "0 12 29 2 *", "*/20 2 * * *", "10 * * * * 30"]
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo", "Pacific/Apia", "Asia/Kolkata", "America/Santiago"]


@settings(max_examples=400, deadline=None)
@given(expr=st.sampled_from(EXPRS), tz=st.sampled_from(ZONES),
       at=st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2035, 12, 31)),
       near_change=st.booleans(), offset_min=st.integers(-240, 240))
def test_fast_path_agrees_with_the_exhaustive_search(expr: str, tz: str, at: datetime, near_change: bool, offset_min: int) -> None:
    """next_fire skips the DST look-back/look-ahead away from a change; it must give exactly what
    the exhaustive search gives, also minutes from a change (half of the cases are placed there)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from swarmbridge.scheduler.cron import _next_fire

    after = at.replace(tzinfo=UTC)
    if near_change:  # move to the zone's next offset change after ``at``, then a few minutes either side
        zi = ZoneInfo(tz)
        off = after.astimezone(zi).utcoffset()
        probe = after
        for _ in range(24 * 200):
            probe += timedelta(hours=1)
            if probe.astimezone(zi).utcoffset() != off:
                after = probe + timedelta(minutes=offset_min)
                break
    assert next_fire(expr, tz, after) == _next_fire(expr, tz, after, exhaustive=True)
