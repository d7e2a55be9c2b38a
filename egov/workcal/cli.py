"""``egov workcal`` command: deadlines and working days from the command line.

The project's ``egov`` entry point dispatches here and passes a Calendar built from
database overrides; standalone use gets the package data only.  Output is meant to
be stable for scripts: one value per line, ISO 8601 with the zone offset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TextIO

from egov.workcal.clock import Pause, due
from egov.workcal.core import Calendar, Limit, LimitUnit, WorkcalError, day_info, non_working_days

__all__ = ["build_parser", "main"]

EXIT_USAGE = 2


def _datetime_arg(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {value!r}") from None


def _date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date (YYYY-MM-DD): {value!r}") from None


def _time_arg(value: str) -> dt.time:
    try:
        parsed = dt.time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time (HH:MM): {value!r}") from None
    if parsed.tzinfo is not None:
        raise argparse.ArgumentTypeError(f"cut-off must be a wall-clock time without offset: {value!r}")
    return parsed


def _year_arg(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """Argument parser for ``egov workcal`` (exposed for help-text tests and embedding)."""
    parser = argparse.ArgumentParser(
        prog="egov workcal",
        description="Working-day calendar and statutory deadlines (Vietnam).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_due = commands.add_parser("due", help="print the due time of a time limit")
    p_due.add_argument("--start", required=True, type=_datetime_arg, help="receipt time (ISO 8601)")
    amount = p_due.add_mutually_exclusive_group(required=True)
    amount.add_argument("--days", type=int, help="limit in working days")
    amount.add_argument("--hours", type=int, help="limit in working hours")
    amount.add_argument("--calendar-days", type=int, help="limit in calendar days")
    p_due.add_argument(
        "--cutoff", type=_time_arg, help="receipt at or after this time counts from the next day"
    )
    p_due.add_argument(
        "--pause",
        nargs=2,
        action="append",
        default=[],
        type=_datetime_arg,
        metavar=("START", "END"),
        help="paused interval (repeatable)",
    )
    p_due.add_argument("--restart-at", type=_datetime_arg, help="restart the clock from zero at this time")

    p_day = commands.add_parser("is-working-day", help="print yes/no and the reason")
    p_day.add_argument("date", type=_date_arg)

    p_year = commands.add_parser("year", help="list the non-working days of a year")
    p_year.add_argument("year", type=_year_arg)
    p_year.add_argument(
        "--weekdays-only",
        action="store_true",
        help="omit dates that fall on a weekly rest day (list only days lost from the working week)",
    )
    return parser


def _limit(args: argparse.Namespace) -> Limit:
    if args.days is not None:
        return Limit(args.days, LimitUnit.WORKING_DAYS)
    if args.hours is not None:
        return Limit(args.hours, LimitUnit.WORKING_HOURS)
    return Limit(args.calendar_days, LimitUnit.CALENDAR_DAYS)


def _run(args: argparse.Namespace, cal: Calendar, out: TextIO) -> None:
    if args.command == "due":
        pauses: list[Pause] = [(begin, end) for begin, end in args.pause]
        result = due(
            start=args.start,
            limit=_limit(args),
            cal=cal,
            cutoff=args.cutoff,
            pauses=pauses,
            restart_at=args.restart_at,
        )
        print(result.isoformat(), file=out)
    elif args.command == "is-working-day":
        info = day_info(args.date, cal)
        answer = "yes" if info.working else "no"
        print(f"{answer}\t{info.reason}" if info.reason else answer, file=out)
    else:
        for info in non_working_days(args.year, cal):
            if args.weekdays_only and info.date.weekday() in cal.rest_weekdays:
                continue
            print(f"{info.date.isoformat()}\t{info.reason}", file=out)


def main(argv: list[str], calendar: Calendar | None = None) -> int:
    """Run ``egov workcal`` with ``argv`` (without the program name); return the exit code.

    Invalid input prints a message on stderr and returns 2, like argparse usage errors.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        _run(args, calendar or Calendar(), sys.stdout)
    except WorkcalError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
