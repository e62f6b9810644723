"""Read the fields of a "ĐẾN" registration stamp (Nghị định 30 Phụ lục IV) from its OCR text."""

from __future__ import annotations

import re
from collections import Counter

from pipeline.lexicon import VIET_LETTERS, bare
from pipeline.models import Registration

# Below this share of the readings' weight a stamp's figure is reported as unsure: in the stamps benchmark
# the wrong numbers had 37-67 % behind them, the right ones 21-100 % (most over 75 %).
WEAK_VOTE = 0.6
_DAY_MONTH = re.compile(r"(\d{1,2})\s*[/.,\-]\s*(\d{1,2})\s*[/.,\-]")
DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
# A label is followed by ":" (or a figure); "SỞ NỘI VỤ ..." is a receiver, not the "Số" field.
_LABEL = re.compile(r"^\s*(?:(?P<head>cong van den|den)\b[\s:.;]*|(?P<label>so va ky hieu hs|luu ho(?: so)?|"
                    r"chuyen|ngay|so)\b\s*(?:[:.;]+|(?=\d)|$)\s*)", re.IGNORECASE)


def iso_date(value: str) -> str | None:
    m = DMY.search(value)
    if not m:
        return None
    d, mo, y = (int(x) for x in m.groups())
    y = y + 2000 if y < 100 else y
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= d <= 31 and 1 <= mo <= 12 and 1990 <= y <= 2100 else None


def is_stamp_text(text: str) -> bool:
    """The OCR of a box holds the labels of an incoming stamp ("ĐẾN", "Số:", "Ngày:")."""
    key = bare(text)
    if re.search(r"\bden\b", key):
        return True
    # Two of the field labels, each starting its line: one of them is often misread ("Nay" for "Ngày").
    lines = [re.sub(r"^\W+", "", bare(line)) for line in text.splitlines()]
    labels = {m.group("label") for line in lines if (m := _LABEL.match(line))}
    starts = {m.group(1) for line in lines if (m := re.match(r"(ngay|chuyen)\b", line))}
    return len(labels | starts) >= 2 or (bool(re.search(r"\bso\b", key)) and bool(re.search(r"\bngay\b", key)))


def parse_stamp(text: str) -> Registration:
    """Fields by their printed labels; lines above "ĐẾN" name the receiving office."""
    reg = Registration()
    receiver: list[str] = []
    seen_label = False
    text = text.replace("\u2044", "/")  # Tesseract reads a pen's slash as the fraction slash
    text = re.sub(r"(?<=\d) (?=\d)", "", text)  # "1 9/02/2025": a pen's wide gap inside a figure
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        line = re.sub(r"^[^\w]+", "", line)  # specks OCR'd before the label ("¡ ĐẾN")
        key = bare(line)
        m = _LABEL.match(key)
        if not m:
            if not seen_label and line.upper() == line and len(line) > 3:
                receiver.append(line)
            continue
        seen_label = True
        label = "den" if m.group("head") else m.group("label")
        value = line[len(m.group(0)):].strip(" .:;…") if len(key) == len(line) else _after_label(line)
        if label == "den":
            rest = _LABEL.match(bare(value))
            if rest and rest.group("label") == "so":
                reg.number = reg.number or _digits(value)
        elif label == "so":
            reg.number = reg.number or _digits(value)
        elif label == "ngay":
            reg.date = reg.date or iso_date(value)
        elif label == "chuyen" and _legible(value):
            reg.forwarded_to = value
        elif value:
            reg.file_no = value
    reg.receiver = " ".join(receiver) or None
    if reg.date is None:  # labels misread: the only date on a stamp is the day it came in
        reg.date = next((d for d in map(iso_date, text.splitlines()) if d), None)
    if reg.date is None:
        reg.day_month = _day_month(_DAY_MONTH.search(text))
    if reg.number is None:  # ... and the incoming number is the first number not in that date,
        lines = text.splitlines()  # below "ĐẾN" when it was read (the office's name is above it)
        below = next((i + 1 for i, ln in enumerate(lines) if re.search(r"\bden\b", bare(ln))), 0)
        for line in lines[below:]:
            if not DMY.search(line) and (number := _digits(line)) and len(number) >= 2:
                reg.number = number
                break
    return reg


def _legible(value: str) -> bool:
    """Vietnamese letters, figures and punctuation only, two letters at least: "ŠÕb" is a pen's scrawl."""
    letters = [c for c in value if c.isalpha()]
    return len(letters) >= 2 and all(c in VIET_LETTERS for c in letters)


def _day_month(m: re.Match | None) -> tuple[int, int] | None:
    day, month = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return (day, month) if 1 <= day <= 31 and 1 <= month <= 12 else None


def _after_label(line: str) -> str:
    head, sep, tail = line.partition(":")
    return tail.strip(" .:;…") if sep else line


def _digits(value: str) -> str | None:
    """The longest figure in a field ("0. 8629 L" -> "8629"): specks read as digits are short."""
    groups = [re.sub(r"\s", "", g) for g in re.findall(r"\d[\d ]{0,8}\d|\d", value)]
    return max(groups, key=len) if groups else None


def _longest_figure(line: str) -> str | None:
    """Of a digit reading's groups (split where the gap was wide), the longest run of figures."""
    runs = [run for group in line.split() for run in re.findall(r"\d+", group)]
    return max(runs, key=len) if runs else None


def check_against_document(reg: Registration, document_date: str | None, year: int | None = None) -> list[str]:
    """A document is received on or after its date and within a year of it.

    A date outside that window was misread and is dropped. When only the year is illegible, the one
    year that puts the day and month inside the window is the year (reported, never silent). When
    the document's day and month are illegible too, its printed *year* gives the window: that year
    or the first month of the next.
    """
    if document_date:
        earliest, latest, of = document_date, f"{int(document_date[:4]) + 1}{document_date[4:]}", f"dated {document_date}"
        year = int(document_date[:4])
    elif year:
        earliest, latest, of = f"{year:04d}-01-01", f"{year + 1:04d}-01-31", f"of {year}"
    else:
        return []
    notes = []
    read = [d for d, _ in Counter(reg.votes.get("date", {})).most_common()]  # most weight first
    fitting = [d for d in read if earliest <= d <= latest]
    if reg.date and fitting and reg.date not in fitting:
        notes.append(f"registration date read as {reg.date} and as {fitting[0]}; only {fitting[0]} can follow a "
                     f"document {of}")
        reg.date = fitting[0]
    if reg.date and not earliest <= reg.date <= latest:
        notes.append(f"registration date read as {reg.date}, impossible for a document {of}")
        if _one_figure_off(reg.date[:4], (year, year + 1)):  # "2020" for "2026": a pen's 6 read as 0
            reg.day_month = (int(reg.date[8:]), int(reg.date[5:7]))
        reg.date = None  # otherwise a whole date read wrong says nothing sure about its day and month
    if reg.date is None and reg.day_month:
        day, month = reg.day_month
        fits = [d for d in (f"{y:04d}-{month:02d}-{day:02d}" for y in (year, year + 1)) if earliest <= d <= latest]
        if len(fits) == 1:
            reg.date = fits[0]
            notes.append(f"registration year not legible; {fits[0][:4]} follows from the document {of}")
    if reg.date is None and notes:
        notes[-1] += "; left empty"
    return notes


def _one_figure_off(read: str, years: tuple[int, ...]) -> bool:
    return any(sum(a != b for a, b in zip(read, f"{y:04d}")) == 1 for y in years)


def vote_figures(reg: Registration, readings: list[list[tuple[str, float]] | str]) -> None:
    """The digit-only readings at several sizes and the labelled text reading vote on the figures.

    Each size misreads different pen strokes ("23/02/2025" as "2392/2025" at one size, right at
    another). A reading is its lines with Tesseract's confidence (a plain string has none). In a
    digit reading the date is the line that parses as one (or, in a reading with none, the first
    line a day and month open: print over the year); the number is the line just above it, or
    the one above that past a speck's row (the labels are gone, the order of the rows is not).
    A reading's vote weighs 1 plus its line's confidence (0-1): a figure read with a dropped stroke
    is read unsure. Ties go to the earlier reading; the text's own figures vote last.
    The votes stay on *reg* for figure_notes to report on.
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
            if day_month := _day_month(_DAY_MONTH.match(text, re.match(r"\D{0,2}", text).end())):
                day_months[day_month] += 1 + conf / 100
                opening = i if opening is None else opening
        # The date's row; where the year was lost (print over it), its day and month still mark it.
        at = next((i for i, (text, _) in enumerate(lines) if figure_date(text)), opening)
        if at is None:
            continue
        if date := figure_date(lines[at][0]):
            dates[date] += 1 + lines[at][1] / 100
        # a speck's row may come between (a lone figure is no number)
        above = [(n, conf) for text, conf in lines[max(0, at - 2):at][::-1]
                 if (n := _longest_figure(text)) and len(n) >= 2]
        if above:
            numbers[above[0][0]] += 1 + above[0][1] / 100
    if reg.date:
        dates[reg.date] += 1
    if reg.number:
        numbers[reg.number] += 1
    reg.date = dates.most_common(1)[0][0] if dates else None
    reg.number = numbers.most_common(1)[0][0] if numbers else None
    reg.votes = {"number": dict(numbers), "date": dict(dates)}
    if reg.day_month is None and day_months:
        day_month, weight = day_months.most_common(1)[0]
        # one reading of 16 ("5/10." in a real stamp's "20 / 7") is a speck's guess, not a date
        if weight >= 2:
            reg.day_month = day_month


def figure_notes(reg: Registration, said: list[str]) -> list[str]:
    """Notes on the number and date (as finally kept) that less than WEAK_VOTE of the readings back,
    or that could not be read at all (unless *said* already tells why).

    A figure the votes do not hold (a date whose year came from the document) is noted elsewhere.
    """
    notes = []
    for field in ("number", "date"):
        value, votes = getattr(reg, field), reg.votes.get(field, {})
        if value is None and not any(n.startswith(f"registration {field}") for n in said):
            notes.append(f"registration {field}: the stamp's pen figures could not be read; left empty")
        if value not in votes or (share := votes[value] / sum(votes.values())) >= WEAK_VOTE:
            continue
        also = ", ".join(f"'{v}'" for v, _ in Counter(votes).most_common(4) if v != value)
        notes.append(f"registration {field} '{value}' is backed by only {share:.0%} of the stamp's weighted "
                     f"readings (also read {also}): check it on the scan")
    return notes


def figure_date(line: str) -> str | None:
    """A date in a digit-only reading, also when the pen's slashes were lost ("04032025")."""
    if date := iso_date(line):
        return date
    for group in [line, *line.split()]:
        figures = re.sub(r"\D", "", group)
        if len(figures) == 8 and (date := iso_date(f"{figures[:2]}/{figures[2:4]}/{figures[4:]}")):
            return date
    return None
