"""Hand-checked examples for egov.workcal.

Every expected value below was worked out by hand from the dates the ``holidays``
package (0.109) reports for Vietnam, with office hours 07-11 and 13-17 (8 h a day).
The comment above each case shows the count.  Package days off used here:

* 2021: Tết 10/2 (Wed) - 16/2 (Tue); 30/4 Fri; 1/5 Sat -> observed Mon 3/5; 2-3/9 Thu-Fri.
* 2022: 1/1 Sat -> observed Mon 3/1; Tết 31/1 (Mon) - 4/2 (Fri).
* 2023: Tết 20/1 (Fri) - 26/1 (Thu); 1/9 Fri, 2/9 Sat -> observed Mon 4/9.
* 2024: Tết 8/2 (Thu) - 14/2 (Wed); Mon 29/4 off in exchange for Sat 4/5 worked; 30/4, 1/5.
* 2025: Tết 27/1 (Mon) - 31/1 (Fri) (+ Sat 1/2); Hùng Kings Mon 7/4; 30/4, 1/5 and
  Fri 2/5 off in exchange for Sat 26/4 worked; 1-2/9 Mon-Tue.
* 2026: Tết 16/2 (Mon) - 20/2 (Fri); Hùng Kings Sun 26/4 -> observed Mon 27/4; 30/4, 1/5;
  Mon 31/8 off in exchange for Sat 22/8 worked; 1-2/9 Tue-Wed; Culture Day Tue 24/11.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from egov.workcal import (
    MAKEUP_REASON,
    Calendar,
    DayInfo,
    Limit,
    LimitUnit,
    Override,
    Status,
    WorkcalError,
    classify,
    clock_start,
    day_info,
    due,
    elapsed,
    is_working_day,
    non_working_days,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = Calendar()


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=VN)


def days(n: int) -> Limit:
    return Limit(n, LimitUnit.WORKING_DAYS)


def hours(n: int) -> Limit:
    return Limit(n, LimitUnit.WORKING_HOURS)


def cdays(n: int) -> Limit:
    return Limit(n, LimitUnit.CALENDAR_DAYS)


# --- package data the rest of the file relies on ---------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Tết 2025: Mon 27/1 to Fri 31/1 off, Mon 3/2 back at work.
        (dt.date(2025, 1, 24), True),
        *[(dt.date(2025, 1, d), False) for d in range(25, 32)],
        (dt.date(2025, 2, 1), False),
        (dt.date(2025, 2, 2), False),
        (dt.date(2025, 2, 3), True),
        # 2025 swap: Sat 26/4 worked, Fri 2/5 off.
        (dt.date(2025, 4, 26), True),
        (dt.date(2025, 5, 2), False),
        # 2024 swap: Mon 29/4 off, Sat 4/5 worked.
        (dt.date(2024, 4, 29), False),
        (dt.date(2024, 5, 4), True),
        # 2026 swap: Mon 31/8 off, Sat 22/8 worked.
        (dt.date(2026, 8, 31), False),
        (dt.date(2026, 8, 22), True),
        # Ordinary weekend.
        (dt.date(2025, 3, 8), False),
        (dt.date(2025, 3, 9), False),
        (dt.date(2025, 3, 10), True),
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert is_working_day(day, CAL) is working


def test_day_info_reasons() -> None:
    assert day_info(dt.date(2025, 1, 29), CAL) == DayInfo(dt.date(2025, 1, 29), False, "Tết Nguyên Đán")
    assert day_info(dt.date(2025, 4, 7), CAL).reason == "Ngày Giỗ Tổ Hùng Vương"
    assert day_info(dt.date(2025, 3, 8), CAL) == DayInfo(dt.date(2025, 3, 8), False, "Saturday")
    assert day_info(dt.date(2025, 3, 9), CAL).reason == "Sunday"
    assert day_info(dt.date(2025, 3, 5), CAL) == DayInfo(dt.date(2025, 3, 5), True, "")
    makeup = day_info(dt.date(2025, 4, 26), CAL)
    assert makeup.working
    assert makeup.reason == f"{MAKEUP_REASON} (cho ngày nghỉ 02/05/2025)"
    assert day_info(dt.date(2025, 5, 2), CAL).reason == "Ngày nghỉ (thay cho ngày 26/04/2025)"
    # Substitute day for a holiday falling on a weekend.
    assert day_info(dt.date(2022, 1, 3), CAL).reason == "Tết Dương lịch (nghỉ bù)"
    # A holiday on a Saturday is reported by name, not as "Saturday".
    assert day_info(dt.date(2025, 2, 1), CAL).reason == "Mùng bốn Tết Nguyên Đán"


def test_cross_year_swap_is_seen_from_both_years() -> None:
    # The package files "2015-01-02 off for 2014-12-27 worked" under 2015.
    assert is_working_day(dt.date(2014, 12, 27), CAL)
    assert day_info(dt.date(2014, 12, 27), CAL).reason == f"{MAKEUP_REASON} (cho ngày nghỉ 02/01/2015)"
    assert not is_working_day(dt.date(2015, 1, 2), CAL)


def test_non_working_days_2025() -> None:
    result = non_working_days(2025, CAL)
    # 2025 starts on a Wednesday: 52 Saturdays + 52 Sundays, minus the make-up Saturday 26/4,
    # plus 12 weekday holidays (1/1, 27-31/1, 7/4, 30/4, 1/5, 2/5, 1/9, 2/9).
    assert len(result) == 104 - 1 + 12
    assert all(not info.working for info in result)
    assert [info.date for info in result] == sorted(info.date for info in result)
    weekday_offs = [info.date for info in result if info.date.weekday() < 5]
    assert weekday_offs == [
        dt.date(2025, 1, 1),
        *[dt.date(2025, 1, d) for d in range(27, 32)],
        dt.date(2025, 4, 7),
        dt.date(2025, 4, 30),
        dt.date(2025, 5, 1),
        dt.date(2025, 5, 2),
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 2),
    ]
    assert dt.date(2025, 4, 26) not in {info.date for info in result}


def test_non_working_days_2026() -> None:
    result = non_working_days(2026, CAL)
    # 2026 starts on a Thursday: 104 weekend days - Sat 22/8 + 13 weekday holidays.
    assert len(result) == 104 - 1 + 13
    weekday_offs = [info.date for info in result if info.date.weekday() < 5]
    assert weekday_offs == [
        dt.date(2026, 1, 1),
        *[dt.date(2026, 2, d) for d in range(16, 21)],
        dt.date(2026, 4, 27),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 1),
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 2),
        dt.date(2026, 11, 24),
    ]


# --- due: working days / hours across holidays ------------------------------------


@pytest.mark.parametrize(
    ("start", "limit", "expected"),
    [
        # Brief's example. Fri 24/1 10-11 + 13-17 = 5 h; 27/1-2/2 off; Mon 3/2-Thu 6/2 = 32 h
        # (37 h); Fri 7/2 07-10 = 3 h -> 40 h.
        (at(2025, 1, 24, 10), days(5), at(2025, 2, 7, 10)),
        # Tết 2021: Tue 9/2 14-17 = 3 h; 10/2-16/2 off; Wed 17/2 8 h (11 h);
        # Thu 18/2 07-11 (15 h) + 13-14 -> 16 h.
        (at(2021, 2, 9, 14), days(2), at(2021, 2, 18, 14)),
        # Tết 2022: Fri 28/1 16-17 = 1 h; 29/1-6/2 off; Mon 7/2 07-11 (5 h) + 13-16 -> 8 h.
        (at(2022, 1, 28, 16), days(1), at(2022, 2, 7, 16)),
        # Tết 2023: Thu 19/1 full day; 20/1-26/1 off; Fri 27/1 full day ends at 17:00 (rule 3).
        (at(2023, 1, 19, 7), days(2), at(2023, 1, 27, 17)),
        # Tết 2024: Wed 7/2 09:30-11 + 13-17 = 5.5 h; 8/2-14/2 off; Thu 15/2 8 h (13.5 h);
        # Fri 16/2 07:00 + 2.5 h.
        (dt.datetime(2024, 2, 7, 9, 30, tzinfo=VN), hours(16), dt.datetime(2024, 2, 16, 9, 30, tzinfo=VN)),
        # Tết 2026: Fri 13/2 15:30-17 = 1.5 h; 16/2-20/2 off; Mon 23/2 07-11 (5.5 h) + 13-15:30.
        (dt.datetime(2026, 2, 13, 15, 30, tzinfo=VN), days(1), dt.datetime(2026, 2, 23, 15, 30, tzinfo=VN)),
        # Hùng Kings 2025 (Mon 7/4): Fri 4/4 08-11 + 13-17 = 7 h; Tue 8/4 07-08.
        (at(2025, 4, 4, 8), days(1), at(2025, 4, 8, 8)),
        # Hùng Kings 2026 observed Mon 27/4: Fri 24/4 (1), Tue 28/4 (2), Wed 29/4 (3).
        (at(2026, 4, 24, 7), days(3), at(2026, 4, 29, 17)),
        # ... then 30/4 Thu, 1/5 Fri and the weekend are off: day 4 is Mon 4/5.
        (at(2026, 4, 24, 7), days(4), at(2026, 5, 4, 17)),
        # 2025 swap: Fri 25/4 13-17 = 4 h; Sat 26/4 is a make-up working day (12 h);
        # Mon 28/4 07-11 -> 16 h, due at the 11:00 close, not 13:00.
        (at(2025, 4, 25, 13), days(2), at(2025, 4, 28, 11)),
        # Tue 29/4 (1); 30/4, 1/5, Fri 2/5 (substitute) and the weekend off; Mon 5/5 (2).
        (at(2025, 4, 29, 7), days(2), at(2025, 5, 5, 17)),
        # 2024 swap: Fri 26/4 08-17 = 7 h; Mon 29/4 (substitute), 30/4, 1/5 off;
        # Thu 2/5 (15 h), Fri 3/5 (23 h); Sat 4/5 make-up day 07-08 -> 24 h.
        (at(2024, 4, 26, 8), days(3), at(2024, 5, 4, 8)),
        # 2/9/2025: Fri 29/8 (1); weekend, Mon 1/9 and Tue 2/9 off; Wed 3/9 (2).
        (at(2025, 8, 29, 7), days(2), at(2025, 9, 3, 17)),
        # 2/9/2023: Thu 31/8 16-17 = 1 h; Fri 1/9, weekend and Mon 4/9 (observed) off;
        # Tue 5/9 07-11 (5 h) + 13-16.
        (at(2023, 8, 31, 16), days(1), at(2023, 9, 5, 16)),
        # 2/9/2021: Wed 1/9 (1); Thu 2/9, Fri 3/9 and the weekend off; Mon 6/9 (2).
        (at(2021, 9, 1, 7), days(2), at(2021, 9, 6, 17)),
        # 2/9/2026: Fri 21/8 (1); Sat 22/8 is a make-up working day (2).
        (at(2026, 8, 21, 7), days(2), at(2026, 8, 22, 17)),
        # ... Fri 28/8 (1); weekend, Mon 31/8 (swapped), 1/9, 2/9 off; Thu 3/9 (2).
        (at(2026, 8, 28, 7), days(2), at(2026, 9, 3, 17)),
        # New Year 2022 on a Saturday, substitute Mon 3/1: Fri 31/12 (1); Tue 4/1 (2).
        (at(2021, 12, 31, 7), days(2), at(2022, 1, 4, 17)),
        # 1/5/2021 on a Saturday, substitute Mon 3/5: Thu 29/4 (1); Fri 30/4 off; Tue 4/5 (2).
        (at(2021, 4, 29, 7), days(2), at(2021, 5, 4, 17)),
        # Vietnam Culture Day Tue 24/11/2026: Mon 23/11 (1); Wed 25/11 (2).
        (at(2026, 11, 23, 7), days(2), at(2026, 11, 25, 17)),
    ],
)
def test_due_across_holidays(start: dt.datetime, limit: Limit, expected: dt.datetime) -> None:
    assert due(start=start, limit=limit, cal=CAL) == expected


def test_due_result_is_aware_and_in_vietnam_time() -> None:
    result = due(start=at(2025, 1, 24, 10), limit=days(5), cal=CAL)
    assert result.isoformat() == "2025-02-07T10:00:00+07:00"


def test_naive_and_foreign_zone_inputs_are_read_as_vietnam_time() -> None:
    expected = at(2025, 2, 7, 10)
    assert due(start=dt.datetime(2025, 1, 24, 10), limit=days(5), cal=CAL) == expected
    utc = dt.datetime(2025, 1, 24, 3, tzinfo=dt.UTC)  # 10:00 in Hanoi
    assert due(start=utc, limit=days(5), cal=CAL) == expected


# --- lunch break and office-hour edges ---------------------------------------------


@pytest.mark.parametrize(
    ("start", "limit", "expected"),
    [
        # Received during lunch: clock starts 13:00.
        (at(2025, 3, 5, 12), hours(2), at(2025, 3, 5, 15)),
        # 10:30-11:00 = 0.5 h, lunch skipped, 13:00-13:30.
        (dt.datetime(2025, 3, 5, 10, 30, tzinfo=VN), hours(1), dt.datetime(2025, 3, 5, 13, 30, tzinfo=VN)),
        # Exactly reaches the morning close: due 11:00, not 13:00.
        (at(2025, 3, 5, 10), hours(1), at(2025, 3, 5, 11)),
        # Before opening: clock starts 07:00, a full day ends at 17:00.
        (at(2025, 3, 5, 6), days(1), at(2025, 3, 5, 17)),
        # Received exactly at 17:00 is outside office hours: Thu 6/3 07:00-17:00.
        (at(2025, 3, 5, 17), days(1), at(2025, 3, 6, 17)),
        # Friday evening: Mon 10/3 07:00 + 1 h.
        (dt.datetime(2025, 3, 7, 17, 30, tzinfo=VN), hours(1), at(2025, 3, 10, 8)),
        # Saturday: Mon 10/3 full day.
        (at(2025, 3, 8, 10), days(1), at(2025, 3, 10, 17)),
        # Seconds and microseconds are carried exactly.
        (
            dt.datetime(2025, 3, 5, 8, 0, 1, 250, tzinfo=VN),
            days(1),
            dt.datetime(2025, 3, 6, 8, 0, 1, 250, tzinfo=VN),
        ),
    ],
)
def test_office_hour_edges(start: dt.datetime, limit: Limit, expected: dt.datetime) -> None:
    assert due(start=start, limit=limit, cal=CAL) == expected


# --- cut-off ----------------------------------------------------------------------

CUT = dt.time(15, 0)


@pytest.mark.parametrize(
    ("start", "limit", "expected"),
    [
        # At the cut-off: clock starts Thu 6/3 07:00.
        (at(2025, 3, 5, 15), days(1), at(2025, 3, 6, 17)),
        # One minute before: Wed 14:59-17:00 = 2 h 01; Thu 07-11 (6 h 01) + 13:00-14:59.
        (at(2025, 3, 5, 14, 59), days(1), at(2025, 3, 6, 14, 59)),
        # Cut-off does not apply on a non-working day: Sat 16:00 -> Mon 07:00, not Tue.
        (at(2025, 3, 8, 16), days(1), at(2025, 3, 10, 17)),
        # Friday before Tết 2025 after the cut-off: clock starts Mon 3/2 07:00.
        (dt.datetime(2025, 1, 24, 15, 30, tzinfo=VN), days(1), at(2025, 2, 3, 17)),
        # Tết 2026, Fri 13/2 15:30 after cut-off: clock starts Mon 23/2 07:00.
        (dt.datetime(2026, 2, 13, 15, 30, tzinfo=VN), days(1), at(2026, 2, 23, 17)),
    ],
)
def test_cutoff(start: dt.datetime, limit: Limit, expected: dt.datetime) -> None:
    assert due(start=start, limit=limit, cal=CAL, cutoff=CUT) == expected


def test_clock_start() -> None:
    assert clock_start(at(2025, 3, 5, 9), CAL) == at(2025, 3, 5, 9)
    assert clock_start(at(2025, 3, 5, 11), CAL) == at(2025, 3, 5, 13)
    assert clock_start(at(2025, 3, 5, 15), CAL, cutoff=CUT) == at(2025, 3, 6, 7)
    assert clock_start(at(2025, 1, 25, 9), CAL) == at(2025, 2, 3, 7)
    # The make-up Saturday opens like any working day.
    assert clock_start(at(2025, 4, 26, 6), CAL) == at(2025, 4, 26, 7)


# --- pauses and restart ------------------------------------------------------------


def test_multiple_pauses() -> None:
    # Mon 3/3 07:00 + 3 days is Wed 5/3 17:00 without pauses.
    # Pause 1: Mon 10:00-14:00 covers 10-11 and 13-14 = 2 h of office time.
    # Pause 2: Tue 16:00 - Wed 08:00 covers 16-17 and 07-08 = 2 h.
    # 4 h more: Thu 6/3 07:00-11:00.
    pauses = [(at(2025, 3, 3, 10), at(2025, 3, 3, 14)), (at(2025, 3, 4, 16), at(2025, 3, 5, 8))]
    start = at(2025, 3, 3, 7)
    assert due(start=start, limit=days(3), cal=CAL) == at(2025, 3, 5, 17)
    result = due(start=start, limit=days(3), cal=CAL, pauses=pauses)
    assert result == at(2025, 3, 6, 11)
    # Order of the pauses does not matter.
    assert due(start=start, limit=days(3), cal=CAL, pauses=pauses[::-1]) == result
    assert elapsed(start=start, end=result, cal=CAL, pauses=pauses) == dt.timedelta(hours=24)


def test_pause_partly_before_start_counts_only_after_clock_start() -> None:
    # Clipped to Mon 07:00-09:00 = 2 h: Wed 17:00 + 2 h -> Thu 09:00.
    pauses = [(at(2025, 2, 28, 9), at(2025, 3, 3, 9))]
    assert due(start=at(2025, 3, 3, 7), limit=days(3), cal=CAL, pauses=pauses) == at(2025, 3, 6, 9)


def test_pause_over_a_holiday_adds_nothing() -> None:
    # The whole pause is inside Tết 2025, so the brief's example is unchanged.
    pauses = [(at(2025, 1, 27, 8), at(2025, 1, 31, 16))]
    assert due(start=at(2025, 1, 24, 10), limit=days(5), cal=CAL, pauses=pauses) == at(2025, 2, 7, 10)


def test_pauses_at_or_after_due_do_not_matter() -> None:
    start = at(2025, 3, 3, 7)
    later = [(at(2025, 3, 10, 8), at(2025, 3, 11, 8))]
    at_due = [(at(2025, 3, 5, 17), at(2025, 3, 6, 10))]
    assert due(start=start, limit=days(3), cal=CAL, pauses=later) == at(2025, 3, 5, 17)
    assert due(start=start, limit=days(3), cal=CAL, pauses=at_due) == at(2025, 3, 5, 17)
    # Starting at 16:00 it eats one office hour: Thu 6/3 08:00.
    last_hour = [(at(2025, 3, 5, 16), at(2025, 3, 5, 18))]
    assert due(start=start, limit=days(3), cal=CAL, pauses=last_hour) == at(2025, 3, 6, 8)


def test_zero_length_pause_is_allowed() -> None:
    pauses = [(at(2025, 3, 4, 9), at(2025, 3, 4, 9))]
    assert due(start=at(2025, 3, 3, 7), limit=days(3), cal=CAL, pauses=pauses) == at(2025, 3, 5, 17)


def test_restart_mode() -> None:
    start = at(2025, 3, 3, 7)
    restart = dt.datetime(2025, 3, 12, 14, 30, tzinfo=VN)
    # Wed 12/3 14:30-17 = 2.5 h; Thu, Fri, Mon, Tue = 32 h (34.5 h); Wed 19/3 07-11 (38.5 h)
    # + 13:00-14:30.
    expected = dt.datetime(2025, 3, 19, 14, 30, tzinfo=VN)
    assert due(start=start, limit=days(5), cal=CAL, restart_at=restart) == expected
    # Earlier pauses are irrelevant after a restart.
    earlier = [(at(2025, 3, 4, 7), at(2025, 3, 10, 7))]
    assert due(start=start, limit=days(5), cal=CAL, restart_at=restart, pauses=earlier) == expected
    # The start rule applies to the restart: during lunch -> 13:00. Wed 12/3 13-17 = 4 h;
    # Thu-Tue 32 h (36 h); Wed 19/3 07-11 -> 40 h exactly at the morning close.
    assert due(start=start, limit=days(5), cal=CAL, restart_at=at(2025, 3, 12, 12)) == at(2025, 3, 19, 11)
    # ... including the cut-off: 15:30 -> Thu 13/3 07:00, five full days -> Wed 19/3 17:00.
    late = dt.datetime(2025, 3, 12, 15, 30, tzinfo=VN)
    assert due(start=start, limit=days(5), cal=CAL, restart_at=late, cutoff=CUT) == at(2025, 3, 19, 17)


def test_restart_before_start_is_rejected() -> None:
    with pytest.raises(WorkcalError, match="restart_at"):
        due(start=at(2025, 3, 3, 7), limit=days(1), cal=CAL, restart_at=at(2025, 3, 2, 7))


# --- calendar days (Civil Code 2015, Art. 148) -----------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 3/3 + 10 = Thu 13/3, a working day: close of office hours.
        (at(2025, 3, 3, 10), 10, at(2025, 3, 13, 17)),
        # 25/4 + 5 = Wed 30/4 (holiday); 1/5, 2/5, weekend off -> Mon 5/5.
        (at(2025, 4, 25, 10), 5, at(2025, 5, 5, 17)),
        # 5/3 + 4 = Sun 9/3 -> Mon 10/3.
        (at(2025, 3, 5, 10), 4, at(2025, 3, 10, 17)),
        # 21/4 + 5 = Sat 26/4, a make-up working day: ends that day.
        (at(2025, 4, 21, 10), 5, at(2025, 4, 26, 17)),
        # 22/1 + 7 = 29/1 (Tết) -> first working day Mon 3/2.
        (at(2025, 1, 22, 10), 7, at(2025, 2, 3, 17)),
        # 2026: 22/4 + 5 = Mon 27/4 (Hùng Kings observed) -> Tue 28/4.
        (at(2026, 4, 22, 10), 5, at(2026, 4, 28, 17)),
        # Received Friday evening: the clock starts Mon 10/3, so 10/3 + 3 = Thu 13/3.
        (dt.datetime(2025, 3, 7, 18, tzinfo=VN), 3, at(2025, 3, 13, 17)),
    ],
)
def test_calendar_days(start: dt.datetime, n: int, expected: dt.datetime) -> None:
    assert due(start=start, limit=cdays(n), cal=CAL) == expected


def test_calendar_days_with_pauses_round_up_to_whole_days() -> None:
    start = at(2025, 3, 3, 10)
    # 30 h paused -> 2 days: 3/3 + 12 = Sat 15/3 -> Mon 17/3.
    long_pause = [(at(2025, 3, 5, 9), at(2025, 3, 6, 15))]
    assert due(start=start, limit=cdays(10), cal=CAL, pauses=long_pause) == at(2025, 3, 17, 17)
    # 2 h paused -> 1 day: 3/3 + 11 = Fri 14/3.
    short_pause = [(at(2025, 3, 5, 9), at(2025, 3, 5, 11))]
    assert due(start=start, limit=cdays(10), cal=CAL, pauses=short_pause) == at(2025, 3, 14, 17)
    # A pause beginning after the deadline does not extend it.
    after = [(at(2025, 3, 20, 9), at(2025, 3, 25, 9))]
    assert due(start=start, limit=cdays(10), cal=CAL, pauses=after) == at(2025, 3, 13, 17)


# --- overrides win over the package ---------------------------------------------


def test_override_adds_day_off() -> None:
    cal = Calendar(overrides=(Override(dt.date(2025, 3, 5), False, "Provincial day off", "QĐ 1/UBND"),))
    assert day_info(dt.date(2025, 3, 5), cal) == DayInfo(dt.date(2025, 3, 5), False, "Provincial day off")
    # Tue 4/3 (1); Wed 5/3 off; Thu 6/3 (2).
    assert due(start=at(2025, 3, 4, 7), limit=days(2), cal=cal) == at(2025, 3, 6, 17)
    # The default calendar is untouched.
    assert is_working_day(dt.date(2025, 3, 5), CAL)


def test_override_turns_holiday_into_working_day() -> None:
    cal = Calendar(overrides=(Override(dt.date(2025, 1, 31), True, "Duty day"),))
    # Fri 24/1 5 h; Fri 31/1 8 h (13 h); Mon 3/2-Wed 5/2 24 h (37 h); Thu 6/2 07-10.
    assert due(start=at(2025, 1, 24, 10), limit=days(5), cal=cal) == at(2025, 2, 6, 10)
    assert day_info(dt.date(2025, 1, 31), cal) == DayInfo(dt.date(2025, 1, 31), True, "Duty day")


def test_override_cancels_package_makeup_saturday() -> None:
    cal = Calendar(overrides=(Override(dt.date(2025, 4, 26), False, "Swap not applied"),))
    assert not is_working_day(dt.date(2025, 4, 26), cal)
    # Fri 25/4 13-17 = 4 h; Mon 28/4 8 h (12 h); Tue 29/4 07-11.
    assert due(start=at(2025, 4, 25, 13), limit=days(2), cal=cal) == at(2025, 4, 29, 11)


def test_override_makes_saturday_working_and_shows_in_year_listing() -> None:
    cal = Calendar(overrides=(Override(dt.date(2025, 3, 8), True, "Làm bù"),))
    assert is_working_day(dt.date(2025, 3, 8), cal)
    assert dt.date(2025, 3, 8) not in {i.date for i in non_working_days(2025, cal)}
    assert len(non_working_days(2025, cal)) == len(non_working_days(2025, CAL)) - 1


# --- custom calendars ------------------------------------------------------------


def test_custom_sessions_and_rest_days() -> None:
    cal = Calendar(rest_weekdays=frozenset({6}), sessions=((dt.time(8), dt.time(12)),))
    assert cal.day_length == dt.timedelta(hours=4)
    assert is_working_day(dt.date(2025, 3, 8), cal)
    assert day_info(dt.date(2025, 3, 9), cal).reason == "Sunday"
    # Fri 7/3 10-12 = 2 h; Sat 8/3 08-12 (6 h); Mon 10/3 08-10 -> 8 h = 2 days.
    assert due(start=at(2025, 3, 7, 10), limit=days(2), cal=cal) == at(2025, 3, 10, 10)


def test_calendar_is_hashable_and_override_order_irrelevant() -> None:
    a = Override(dt.date(2025, 3, 5), False, "x")
    b = Override(dt.date(2025, 3, 6), False, "y")
    assert Calendar(overrides=(a, b)) == Calendar(overrides=(b, a))
    assert hash(Calendar(overrides=(a, b))) == hash(Calendar(overrides=(b, a)))
    assert Calendar(rest_weekdays=[5, 6]) == Calendar()  # type: ignore[arg-type]


# --- elapsed -------------------------------------------------------------------


def test_elapsed() -> None:
    # Wed 10-11 + 13-17 (5 h) + Thu 07-11 + 13-14 (5 h).
    assert elapsed(start=at(2025, 3, 5, 10), end=at(2025, 3, 6, 14), cal=CAL) == dt.timedelta(hours=10)
    # Across Tết 2025: Fri 24/1 5 h + Mon 3/2 8 h.
    assert elapsed(start=at(2025, 1, 24, 10), end=at(2025, 2, 3, 17), cal=CAL) == dt.timedelta(hours=13)
    # End before start, or before the clock starts.
    assert elapsed(start=at(2025, 3, 5, 10), end=at(2025, 3, 4, 10), cal=CAL) == dt.timedelta(0)
    assert elapsed(start=at(2025, 3, 8, 10), end=at(2025, 3, 9, 10), cal=CAL) == dt.timedelta(0)
    # Cut-off moves the start to Thu 07:00.
    assert elapsed(start=at(2025, 3, 5, 16), end=at(2025, 3, 6, 9), cal=CAL, cutoff=CUT) == dt.timedelta(
        hours=2
    )
    # Pause ending after `end` only counts up to `end`.
    pauses = [(at(2025, 3, 6, 8), at(2025, 3, 7, 8))]
    assert elapsed(start=at(2025, 3, 6, 7), end=at(2025, 3, 6, 10), cal=CAL, pauses=pauses) == dt.timedelta(
        hours=1
    )


def test_limit_office_time() -> None:
    assert days(5).office_time(CAL) == dt.timedelta(hours=40)
    assert hours(3).office_time(CAL) == dt.timedelta(hours=3)
    with pytest.raises(WorkcalError):
        cdays(3).office_time(CAL)


# --- classify --------------------------------------------------------------------

DUE = at(2025, 2, 7, 10)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(2025, 2, 6, 16), Status.EARLY),
        (at(2025, 2, 7, 7), Status.ON_TIME),
        (at(2025, 2, 7, 10), Status.ON_TIME),
        (dt.datetime(2025, 2, 7, 10, 0, 1, tzinfo=VN), Status.LATE),
        (at(2025, 2, 10, 8), Status.LATE),
        # Earlier date in another zone's terms is converted first: 23:30 UTC on 6/2 is 06:30 on 7/2.
        (dt.datetime(2025, 2, 6, 23, 30, tzinfo=dt.UTC), Status.ON_TIME),
    ],
)
def test_classify_finished(finished: dt.datetime, expected: Status) -> None:
    assert classify(due_at=DUE, finished_at=finished) is expected


def test_classify_unfinished() -> None:
    assert classify(due_at=DUE, now=at(2025, 2, 7, 10)) is Status.WITHIN_TIME
    assert classify(due_at=DUE, now=at(2025, 2, 7, 11)) is Status.OVERDUE
    assert classify(due_at=at(2100, 1, 1)) is Status.WITHIN_TIME
    assert classify(due_at=at(2000, 1, 1)) is Status.OVERDUE


def test_classify_uses_original_due_after_extension() -> None:
    extended = at(2025, 2, 14, 10)
    assert classify(due_at=extended, original_due_at=DUE, finished_at=at(2025, 2, 10, 8)) is Status.LATE
    assert classify(due_at=extended, original_due_at=DUE, now=at(2025, 2, 10, 8)) is Status.OVERDUE
    assert classify(due_at=extended, original_due_at=DUE, finished_at=at(2025, 2, 7, 9)) is Status.ON_TIME


# --- validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ((), "at least one"),
        (((dt.time(13), dt.time(17)), (dt.time(7), dt.time(11))), "sorted"),
        (((dt.time(7), dt.time(12)), (dt.time(11), dt.time(17))), "overlaps"),
        (((dt.time(7), dt.time(7)),), "close after"),
        (((dt.time(11), dt.time(7)),), "close after"),
        (((dt.time(7),),), "pair"),
    ],
)
def test_bad_sessions(sessions: tuple[tuple[dt.time, ...], ...], message: str) -> None:
    with pytest.raises(WorkcalError, match=message):
        Calendar(sessions=sessions)  # type: ignore[arg-type]


def test_bad_calendar_fields() -> None:
    with pytest.raises(WorkcalError, match="whole week"):
        Calendar(rest_weekdays=frozenset(range(7)))
    with pytest.raises(WorkcalError, match="weekday numbers"):
        Calendar(rest_weekdays=frozenset({7}))
    with pytest.raises(WorkcalError, match="time zone"):
        Calendar(tz="Mars/Olympus")
    with pytest.raises(WorkcalError, match="more than one override"):
        Calendar(
            overrides=(Override(dt.date(2025, 1, 1), True, "a"), Override(dt.date(2025, 1, 1), False, "b"))
        )
    with pytest.raises(WorkcalError, match="not supported"):
        is_working_day(dt.date(2025, 1, 1), Calendar(country="XX"))
    with pytest.raises(WorkcalError, match="reason"):
        Override(dt.date(2025, 1, 1), False, " ")
    with pytest.raises(WorkcalError, match=r"datetime\.date"):
        Override(dt.datetime(2025, 1, 1), False, "x")


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(0, LimitUnit.WORKING_DAYS), (-1, LimitUnit.WORKING_HOURS), (-5, LimitUnit.CALENDAR_DAYS)],
)
def test_non_positive_limits(amount: int, unit: LimitUnit) -> None:
    with pytest.raises(WorkcalError, match="positive"):
        Limit(amount, unit)


def test_limit_type_and_unit_checks() -> None:
    with pytest.raises(WorkcalError, match="integer"):
        Limit(True, LimitUnit.WORKING_DAYS)
    with pytest.raises(WorkcalError, match="integer"):
        Limit(1.5, LimitUnit.WORKING_DAYS)  # type: ignore[arg-type]
    with pytest.raises(WorkcalError, match="unit"):
        Limit(1, "fortnights")  # type: ignore[arg-type]
    assert Limit(1, "working_hours").unit is LimitUnit.WORKING_HOURS  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ok", "absurd"),
    [(cdays(1098), cdays(1099)), (days(784), days(785)), (hours(784 * 8), hours(784 * 8 + 1))],
)
def test_absurd_limits(ok: Limit, absurd: Limit) -> None:
    due(start=at(2025, 1, 2, 8), limit=ok, cal=CAL)
    with pytest.raises(WorkcalError, match="absurd"):
        due(start=at(2025, 1, 2, 8), limit=absurd, cal=CAL)


def test_bad_pauses() -> None:
    start = at(2025, 3, 3, 7)
    with pytest.raises(WorkcalError, match="before it starts"):
        due(start=start, limit=days(1), cal=CAL, pauses=[(at(2025, 3, 3, 10), at(2025, 3, 3, 9))])
    overlapping = [(at(2025, 3, 3, 8), at(2025, 3, 3, 10)), (at(2025, 3, 3, 9), at(2025, 3, 3, 11))]
    with pytest.raises(WorkcalError, match="overlap"):
        due(start=start, limit=days(1), cal=CAL, pauses=overlapping)
    with pytest.raises(WorkcalError, match="overlap"):
        elapsed(start=start, end=at(2025, 3, 4), cal=CAL, pauses=overlapping)
    # Touching pauses are fine: 08-09 and 09-10 = 2 h -> Mon 17:00 + 2 h = Tue 09:00.
    touching = [(at(2025, 3, 3, 8), at(2025, 3, 3, 9)), (at(2025, 3, 3, 9), at(2025, 3, 3, 10))]
    assert due(start=start, limit=days(1), cal=CAL, pauses=touching) == at(2025, 3, 4, 9)


def test_bad_argument_types() -> None:
    with pytest.raises(WorkcalError, match="datetime"):
        due(start=dt.date(2025, 3, 3), limit=days(1), cal=CAL)  # type: ignore[arg-type]
    with pytest.raises(WorkcalError, match="cutoff"):
        due(start=at(2025, 3, 3), limit=days(1), cal=CAL, cutoff=dt.time(15, tzinfo=dt.UTC))
    with pytest.raises(WorkcalError, match="Limit"):
        due(start=at(2025, 3, 3), limit=5, cal=CAL)  # type: ignore[arg-type]


def test_years_outside_package_data_are_rejected() -> None:
    with pytest.raises(WorkcalError, match="outside the range"):
        is_working_day(dt.date(2150, 1, 1), CAL)
    with pytest.raises(WorkcalError, match="outside the range"):
        due(start=at(2100, 12, 20), limit=days(30), cal=CAL)
