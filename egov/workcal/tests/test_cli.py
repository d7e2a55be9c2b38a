"""Tests for ``egov workcal`` (egov.workcal.cli.main); expected values are hand-checked in test_core."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.workcal import Calendar, Override
from egov.workcal.cli import main


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, calendar: Calendar | None = None
) -> tuple[int, str, str]:
    code = main(list(argv), calendar)
    out, err = capsys.readouterr()
    return code, out, err


def test_due_working_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "due", "--start", "2025-01-24T10:00", "--days", "5") == (
        0,
        "2025-02-07T10:00:00+07:00\n",
        "",
    )


def test_due_accepts_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    # 03:00Z is 10:00 in Hanoi.
    code, out, _ = run(capsys, "due", "--start", "2025-01-24T03:00:00+00:00", "--days", "5")
    assert (code, out) == (0, "2025-02-07T10:00:00+07:00\n")


def test_due_hours_and_calendar_days(capsys: pytest.CaptureFixture[str]) -> None:
    # 10:30-11:00 + 13:00-13:30.
    assert (
        run(capsys, "due", "--start", "2025-03-05T10:30", "--hours", "1")[1] == "2025-03-05T13:30:00+07:00\n"
    )
    # 25/4 + 5 = 30/4 holiday -> Mon 5/5 at the close.
    assert run(capsys, "due", "--start", "2025-04-25T10:00", "--calendar-days", "5")[1] == (
        "2025-05-05T17:00:00+07:00\n"
    )


def test_due_cutoff_pauses_restart(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "due", "--start", "2025-03-05T15:00", "--days", "1", "--cutoff", "15:00")[1] == (
        "2025-03-06T17:00:00+07:00\n"
    )
    code, out, _ = run(
        capsys,
        "due",
        "--start",
        "2025-03-03T07:00",
        "--days",
        "3",
        "--pause",
        "2025-03-03T10:00",
        "2025-03-03T14:00",
        "--pause",
        "2025-03-04T16:00",
        "2025-03-05T08:00",
    )
    assert (code, out) == (0, "2025-03-06T11:00:00+07:00\n")
    code, out, _ = run(
        capsys, "due", "--start", "2025-03-03T07:00", "--days", "5", "--restart-at", "2025-03-12T14:30"
    )
    assert (code, out) == (0, "2025-03-19T14:30:00+07:00\n")


def test_is_working_day(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "is-working-day", "2025-01-29") == (0, "no\tTết Nguyên Đán\n", "")
    assert run(capsys, "is-working-day", "2025-01-24") == (0, "yes\n", "")
    assert run(capsys, "is-working-day", "2025-03-08") == (0, "no\tSaturday\n", "")
    assert run(capsys, "is-working-day", "2025-04-26") == (
        0,
        "yes\tNgày làm việc bù (cho ngày nghỉ 02/05/2025)\n",
        "",
    )


def test_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "year", "2026")
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == 104 - 1 + 13
    assert lines[0] == "2026-01-01\tTết Dương lịch"
    assert "2026-01-03\tSaturday" in lines
    assert "2026-02-17\tTết Nguyên Đán" in lines
    assert all(line[:4] == "2026" and line[10] == "\t" for line in lines)


def test_year_weekdays_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "year", "2025", "--weekdays-only")
    assert code == 0
    assert out == (
        "2025-01-01\tTết Dương lịch\n"
        "2025-01-27\t29 Tết\n"
        "2025-01-28\tGiao thừa Tết Nguyên Đán\n"
        "2025-01-29\tTết Nguyên Đán\n"
        "2025-01-30\tMùng hai Tết Nguyên Đán\n"
        "2025-01-31\tMùng ba Tết Nguyên Đán\n"
        "2025-04-07\tNgày Giỗ Tổ Hùng Vương\n"
        "2025-04-30\tNgày Chiến thắng\n"
        "2025-05-01\tNgày Quốc tế Lao động\n"
        "2025-05-02\tNgày nghỉ (thay cho ngày 26/04/2025)\n"
        "2025-09-01\tQuốc khánh\n"
        "2025-09-02\tQuốc khánh\n"
    )


def test_calendar_from_caller_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    cal = Calendar(overrides=(Override(dt.date(2025, 3, 5), False, "Provincial day off"),))
    assert run(capsys, "is-working-day", "2025-03-05", calendar=cal) == (0, "no\tProvincial day off\n", "")
    assert (
        "2025-03-05\tProvincial day off\n" in run(capsys, "year", "2025", "--weekdays-only", calendar=cal)[1]
    )
    assert run(capsys, "due", "--start", "2025-03-04T07:00", "--days", "2", calendar=cal)[1] == (
        "2025-03-06T17:00:00+07:00\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "--start", "2025-02-30T10:00", "--days", "5"],
        ["due", "--start", "yesterday", "--days", "5"],
        ["due", "--start", "2025-01-24T10:00", "--days", "-5"],
        ["due", "--start", "2025-01-24T10:00", "--days", "0"],
        ["due", "--start", "2025-01-24T10:00", "--days", "5000"],
        ["due", "--start", "2025-01-24T10:00", "--calendar-days", "1099"],
        ["due", "--start", "2025-01-24T10:00", "--days", "five"],
        ["due", "--start", "2025-01-24T10:00"],
        ["due", "--start", "2025-01-24T10:00", "--days", "5", "--hours", "3"],
        ["due", "--start", "2025-01-24T10:00", "--days", "5", "--cutoff", "25:00"],
        [
            "due",
            "--start",
            "2025-01-24T10:00",
            "--days",
            "5",
            "--pause",
            "2025-01-24T12:00",
            "2025-01-24T11:00",
        ],
        [
            "due",
            "--start",
            "2025-01-24T10:00",
            "--days",
            "5",
            "--pause",
            "2025-01-24T10:00",
            "2025-01-24T12:00",
            "--pause",
            "2025-01-24T11:00",
            "2025-01-24T13:00",
        ],
        ["due", "--start", "2025-01-24T10:00", "--days", "5", "--restart-at", "2025-01-23T10:00"],
        ["due", "--start", "2150-01-24T10:00", "--days", "5"],
        ["is-working-day", "29/01/2025"],
        ["is-working-day", "2101-01-01"],
        ["year", "twenty"],
        ["year", "1800"],
        ["frobnicate"],
        [],
    ],
)
def test_bad_input_exits_2_with_message_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "error" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("usage: egov workcal")
