"""The registration record: the "ĐẾN" stamp's fields, its pen figures voted from the OCR's readings,
and its date checked against the document's own."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.lang.dates import DAY_MONTH, day_month, figure_date, iso_date
from pipeline.lang.stamps import longest_figure, parse_stamp, read_text_stamp, stamp_day_month
from pipeline.models import Annotation, Registration

# Below this share of the readings' weight a stamp's figure is reported as unsure: in the stamps benchmark
# the wrong numbers had 37-67 % behind them, the right ones 21-100 % (most over 75 %).
WEAK_VOTE = 0.6
# one reading of 16 ("5/10." in a real stamp's "20 / 7") is a speck's guess, not a date: a day and
# month read alone need this much weight (a reading weighs 1 plus its confidence 0-1)
DAY_MONTH_WEIGHT = 2


@dataclass
class Figures:
    """What the readings of the stamp's figures said: the weight behind each number and date, and a
    day and month read where no year was legible."""

    votes: dict[str, dict[str, float]] = field(default_factory=dict)  # field -> figure -> weight
    day_month: tuple[int, int] | None = None


def read_registration(annotations: list[Annotation], from_text_file: bool, document_date: str | None,
                      year: int | None) -> tuple[Registration | None, list[str]]:
    """The registration of the document's first stamp that OCR read, with notes for ``issues``."""
    stamp = next((a for a in annotations if a.kind == "stamp" and a.text), None)
    if stamp is None:
        return None, []
    if from_text_file:  # the lines the clean stage took out of the text, apart by " | "
        reg, figures = read_text_stamp(stamp.text.split(" | ")), Figures()
    else:
        reg = parse_stamp(stamp.text)
        figures = vote_figures(reg, stamp.readings, stamp_day_month(stamp.text) if reg.date is None else None)
    notes = check_against_document(reg, figures, document_date, year)
    return reg, notes + figure_notes(reg, figures, notes)


def check_against_document(reg: Registration, figures: Figures, document_date: str | None,
                           year: int | None = None) -> list[str]:
    """A document is received on or after its date and within a year of it.

    A date outside that window was misread and is dropped. When only the year is illegible, the one
    year that puts the day and month inside the window is the year (reported, never silent). When
    the document's day and month are illegible too, its printed *year* gives the window: that year
    or the first month of the next.
    """
    if document_date:
        earliest, latest, of = (
            document_date,
            f"{int(document_date[:4]) + 1}{document_date[4:]}",
            f"dated {document_date}",
        )
        year = int(document_date[:4])
    elif year:
        earliest, latest, of = f"{year:04d}-01-01", f"{year + 1:04d}-01-31", f"of {year}"
    else:
        return []
    notes = []
    read = [d for d, _ in Counter(figures.votes.get("date", {})).most_common()]  # most weight first
    fitting = [d for d in read if earliest <= d <= latest]
    if reg.date and fitting and reg.date not in fitting:
        notes.append(
            f"registration date read as {reg.date} and as {fitting[0]}; only {fitting[0]} can follow a "
            f"document {of}"
        )
        reg.date = fitting[0]
    if reg.date and not earliest <= reg.date <= latest:
        notes.append(f"registration date read as {reg.date}, impossible for a document {of}")
        if _one_figure_off(reg.date[:4], (year, year + 1)):  # "2020" for "2026": a pen's 6 read as 0
            figures.day_month = (int(reg.date[8:]), int(reg.date[5:7]))
        reg.date = None  # otherwise a whole date read wrong says nothing sure about its day and month
    if reg.date is None and figures.day_month:
        day, month = figures.day_month
        fits = [d for y in (year, year + 1) if (d := iso_date(y, month, day)) and earliest <= d <= latest]
        if len(fits) == 1:
            reg.date = fits[0]
            notes.append(f"registration year not legible; {fits[0][:4]} follows from the document {of}")
    if reg.date is None and notes:
        notes[-1] += "; left empty"
    return notes


def _one_figure_off(read: str, years: tuple[int, ...]) -> bool:
    return any(sum(a != b for a, b in zip(read, f"{y:04d}", strict=False)) == 1 for y in years)


def vote_figures(reg: Registration, readings: list[list[tuple[str, float]] | str],
                 day_month_read: tuple[int, int] | None = None) -> Figures:
    """The digit-only readings at several sizes and the labelled text reading vote on the figures.

    Each size misreads different pen strokes ("23/02/2025" as "2392/2025" at one size, right at
    another). A reading is its lines with Tesseract's confidence (a plain string has none). In a
    digit reading the date is the line that parses as one (or, in a reading with none, the first
    line a day and month open: print over the year); the number is the line just above it, or
    the one above that past a speck's row (the labels are gone, the order of the rows is not).
    A reading's vote weighs 1 plus its line's confidence (0-1): a figure read with a dropped stroke
    is read unsure. Ties go to the earlier reading; the text's own figures (already on *reg*) vote
    last. *day_month_read* is the text reading's day and month where it held no whole date.
    """
    dates: Counter[str] = Counter()
    numbers: Counter[str] = Counter()
    day_months: Counter[tuple[int, int]] = Counter()  # where no reading holds a whole date
    for reading in readings:
        if isinstance(reading, str):
            reading = [(line, 0.0) for line in reading.splitlines()]
        lines = [(text, conf) for text, conf in reading if text.strip(" .")]
        opening = None  # the first line a day and month open (a speck or two before them)
        for i, (text, conf) in enumerate(lines):
            m = DAY_MONTH.match(text, re.match(r"\D{0,2}", text).end())
            if m and (found := day_month(int(m.group(1)), int(m.group(2)))):
                day_months[found] += 1 + conf / 100
                opening = i if opening is None else opening
        # The date's row; where the year was lost (print over it), its day and month still mark it.
        at = next((i for i, (text, _) in enumerate(lines) if figure_date(text)), opening)
        if at is None:
            continue
        if date := figure_date(lines[at][0]):
            dates[date] += 1 + lines[at][1] / 100
        # a speck's row may come between (a lone figure is no number)
        above = [(n, conf) for text, conf in lines[max(0, at - 2):at][::-1]
                 if (n := longest_figure(text)) and len(n) >= 2]
        if above:
            numbers[above[0][0]] += 1 + above[0][1] / 100
    if reg.date:
        dates[reg.date] += 1
    if reg.number:
        numbers[reg.number] += 1
    reg.date = dates.most_common(1)[0][0] if dates else None
    reg.number = numbers.most_common(1)[0][0] if numbers else None
    figures = Figures({"number": dict(numbers), "date": dict(dates)}, day_month_read)
    if figures.day_month is None and day_months:
        found, weight = day_months.most_common(1)[0]
        if weight >= DAY_MONTH_WEIGHT:
            figures.day_month = found
    return figures


def figure_notes(reg: Registration, figures: Figures, said: list[str]) -> list[str]:
    """Notes on the number and date (as finally kept) that less than WEAK_VOTE of the readings back,
    or that could not be read at all (unless *said* already tells why).

    A figure the votes do not hold (a date whose year came from the document) is noted elsewhere.
    """
    notes = []
    for name in ("number", "date"):
        value, votes = getattr(reg, name), figures.votes.get(name, {})
        if value is None and not any(n.startswith(f"registration {name}") for n in said):
            notes.append(f"registration {name}: the stamp's pen figures could not be read; left empty")
        if value not in votes or (share := votes[value] / sum(votes.values())) >= WEAK_VOTE:
            continue
        also = ", ".join(f"'{v}'" for v, _ in Counter(votes).most_common(4) if v != value)
        notes.append(f"registration {name} '{value}' is backed by only {share:.0%} of the stamp's weighted "
                     f"readings (also read {also}): check it on the scan")
    return notes
