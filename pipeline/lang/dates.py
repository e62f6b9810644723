"""Dates as Vietnamese documents write them ("29/9/2015", "ngày 29 tháng 9 năm 2015"), checked
against the calendar: a day that does not exist ("31/2/2025") is no date."""

from __future__ import annotations

import datetime
import re

DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
# a day and month whose year is lost ("20/7/2?2"): the separator after the month is still there
DAY_MONTH = re.compile(r"(\d{1,2})\s*[/.,\-]\s*(\d{1,2})\s*[/.,\-]")
_LEAP_YEAR = 2000  # any day and month that exists in some year exists in it


def iso_date(year: int | str, month: int | str, day: int | str) -> str | None:
    """"YYYY-MM-DD" when the day exists in the calendar, else None."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def day_month(day: int, month: int) -> tuple[int, int] | None:
    """(day, month) when some year has that day, else None."""
    return (day, month) if iso_date(_LEAP_YEAR, month, day) else None


def dmy_date(text: str, years: tuple[int, int] = (1990, 2100)) -> str | None:
    """The first day/month/year in *text* ("04/10/2015", "9.3.26"), two-figure years in this century,
    the year within *years*; None when there is none or it is no calendar day."""
    m = DMY.search(text)
    if not m:
        return None
    d, mo, y = (int(x) for x in m.groups())
    y = y + 2000 if y < 100 else y
    return iso_date(y, mo, d) if years[0] <= y <= years[1] else None


def figure_date(line: str) -> str | None:
    """A date in a digit-only reading, also when the pen's slashes were lost ("04032025")."""
    if date := dmy_date(line):
        return date
    for group in [line, *line.split()]:
        figures = re.sub(r"\D", "", group)
        if len(figures) == 8 and (date := dmy_date(f"{figures[:2]}/{figures[2:4]}/{figures[4:]}")):
            return date
    return None


def impossible_date_note(what: str, written: str) -> str:
    """The issue text for a date that names no calendar day."""
    return f"{what} '{written}' is no calendar day; its date is left empty"
