"""The "ĐẾN" registration stamp (Nghị định 30 Phụ lục IV; older offices print "CÔNG VĂN ĐẾN"): its
printed labels, and its fields read from OCR text.

One vocabulary (``TITLES``, ``FIELDS``) gives every pattern here: the labels as a scan's OCR reads
them (diacritics often lost), the dotted-leader fields of an OCR text file, and the stamp's own
words that a page's text must not keep.
"""

from __future__ import annotations

import re

from pipeline.lang.dates import DAY_MONTH, DMY, day_month, dmy_date
from pipeline.lang.letters import VIET_LETTERS, bare, fold
from pipeline.models import Registration

TITLES = ("CÔNG VĂN ĐẾN", "ĐẾN")
# printed label -> the Registration field it heads; "LƯU HỒ" is how OCR often leaves "LƯU HỒ SƠ"
FIELDS = {
    "SỐ VÀ KÝ HIỆU HS": "file_no",
    "LƯU HỒ SƠ": "file_no",
    "LƯU HỒ": "file_no",
    "CHUYỂN": "forwarded_to",
    "NGÀY": "date",
    "SỐ": "number",
}
_FIELD_OF_KEY = {bare(label): name for label, name in FIELDS.items()}
# words only the long "SỐ VÀ KÝ HIỆU HS" holds: body print uses them everywhere ("và"), a stamp rarely
_LONG_LABEL_ONLY = {"va", "ky", "hieu"}
STAMP_WORDS = frozenset(w for label in (*TITLES, *FIELDS) for w in bare(label).split()) - _LONG_LABEL_ONLY
TITLE_KEY = bare(TITLES[-1])  # "den"


def _tolerant(label: str) -> str:
    """A printed label as a pattern that also takes it with its diacritics lost ("SỐ" -> "S[ỐO]")."""
    parts = []
    for c in label:
        if c == " ":
            parts.append(r"\s+")
        elif (plain := bare(c).upper()) != c:
            parts.append(f"[{c}{plain}]")
        else:
            parts.append(re.escape(c))
    return "".join(parts)


def _alternatives(labels, key=_tolerant) -> str:
    return "|".join(key(label) for label in sorted(labels, key=len, reverse=True))


# On a scan's OCR text, compared without diacritics: a label is followed by ":" (or a figure);
# "SỞ NỘI VỤ ..." is a receiver, not the "Số" field.
_LABEL = re.compile(rf"^\s*(?:(?P<head>{_alternatives(TITLES, bare)})\b[\s:.;]*|"
                    rf"(?P<label>{_alternatives(FIELDS, bare)})\b\s*(?:[:.;]+|(?=\d)|$)\s*)", re.IGNORECASE)
# In an OCR text file the stamp's title opens its line, and its fields are labels followed by dotted
# leaders: "SỐ:..... 1860", "NGÀY:..... 04/10/2015".
STAMP_HEAD = re.compile(rf"^(?:{_alternatives(TITLES)})\b", re.IGNORECASE)
_FIELD_LABELS = _alternatives(FIELDS)
STAMP_FIELD = re.compile(rf"(?P<label>{_FIELD_LABELS})\s*:\s*\.{{2,}}\s*(?P<value>.*?)\s*"
                         rf"(?=(?:{_FIELD_LABELS})\s*:\s*\.{{2,}}|$)", re.IGNORECASE)
# A preamble line opens so; a stamp field holding such text covered a body line.
BODY_OPENINGS = ("căn cứ", "thực hiện", "theo", "xét")


def is_stamp_text(text: str) -> bool:
    """The OCR of a box holds the labels of an incoming stamp ("ĐẾN", "Số:", "Ngày:")."""
    key = bare(text)
    if re.search(rf"\b{TITLE_KEY}\b", key):
        return True
    # Two of the field labels, each starting its line: one of them is often misread ("Nay" for "Ngày").
    lines = [re.sub(r"^\W+", "", bare(line)) for line in text.splitlines()]
    labels = {m.group("label") for line in lines if (m := _LABEL.match(line))}
    starts = {m.group(1) for line in lines if (m := re.match(r"(ngay|chuyen)\b", line))}
    return len(labels | starts) >= 2 or (
        bool(re.search(r"\bso\b", key)) and bool(re.search(r"\bngay\b", key))
    )


def parse_stamp(text: str) -> Registration:
    """Fields of a scanned stamp's OCR text by their printed labels; lines above "ĐẾN" name the
    receiving office."""
    reg = Registration()
    receiver: list[str] = []
    seen_label = False
    text = _joined_figures(text)
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
        field = "title" if m.group("head") else _FIELD_OF_KEY[fold(m.group("label"))]
        value = line[len(m.group(0)):].strip(" .:;…") if len(key) == len(line) else _after_label(line)
        if field == "title":
            rest = _LABEL.match(bare(value))
            if rest and rest.group("label") == "so":
                reg.number = reg.number or _digits(value)
        elif field == "number":
            reg.number = reg.number or _digits(value)
        elif field == "date":
            reg.date = reg.date or dmy_date(value)
        elif field == "forwarded_to" and _legible(value):
            reg.forwarded_to = value
        elif value:
            reg.file_no = value
    reg.receiver = " ".join(receiver) or None
    if reg.date is None:  # labels misread: the only date on a stamp is the day it came in
        reg.date = next((d for d in map(dmy_date, text.splitlines()) if d), None)
    if reg.number is None:  # ... and the incoming number is the first number not in that date,
        lines = text.splitlines()  # below "ĐẾN" when it was read (the office's name is above it)
        below = next((i + 1 for i, ln in enumerate(lines) if re.search(rf"\b{TITLE_KEY}\b", bare(ln))), 0)
        for line in lines[below:]:
            if not DMY.search(line) and (number := _digits(line)) and len(number) >= 2:
                reg.number = number
                break
    return reg


def stamp_day_month(text: str) -> tuple[int, int] | None:
    """The day and month of a stamp's OCR text whose year is illegible ("20/7/2?2")."""
    m = DAY_MONTH.search(_joined_figures(text))
    return day_month(int(m.group(1)), int(m.group(2))) if m else None


def _joined_figures(text: str) -> str:
    text = text.replace("\u2044", "/")  # Tesseract reads a pen's slash as the fraction slash
    return re.sub(r"(?<=\d) (?=\d)", "", text)  # "1 9/02/2025": a pen's wide gap inside a figure


def stamp_fields(line: str) -> list[tuple[str, str]]:
    """(Registration field, value as written) of each dotted-leader field of a stamp line of an OCR
    text file ("SỐ:..... 1860 NGÀY:..... 04/10/2015")."""
    return [(_FIELD_OF_KEY[bare(m.group("label"))], m.group("value")) for m in STAMP_FIELD.finditer(line)]


def looks_like_body(value: str) -> bool:
    """A stamp field's value that is body print the stamp covered, not something written into it."""
    return fold(value).startswith(BODY_OPENINGS) or len(value.split()) > 6


def read_text_stamp(lines: list[str]) -> Registration:
    """The registration of an OCR text file's stamp lines (markup removed), the receiving office on
    the line above the title when there is one."""
    reg = Registration()
    for line in lines:
        for field, value in stamp_fields(line):
            value = value.strip(" .")
            if not value:
                continue
            if field == "number":
                reg.number = re.sub(r"\D", "", value) or None
            elif field == "date":
                reg.date = dmy_date(value)
            elif not looks_like_body(value):
                setattr(reg, field, value)
    if lines and not STAMP_HEAD.match(lines[0]):
        reg.receiver = lines[0]
    return reg


def _legible(value: str) -> bool:
    """Vietnamese letters, figures and punctuation only, two letters at least: "ŠÕb" is a pen's scrawl."""
    letters = [c for c in value if c.isalpha()]
    return len(letters) >= 2 and all(c in VIET_LETTERS for c in letters)


def _after_label(line: str) -> str:
    head, sep, tail = line.partition(":")
    return tail.strip(" .:;…") if sep else line


def _digits(value: str) -> str | None:
    """The longest figure in a field ("0. 8629 L" -> "8629"): specks read as digits are short."""
    groups = [re.sub(r"\s", "", g) for g in re.findall(r"\d[\d ]{0,8}\d|\d", value)]
    return max(groups, key=len) if groups else None


def longest_figure(line: str) -> str | None:
    """Of a digit reading's groups (split where the gap was wide), the longest run of figures."""
    runs = [run for group in line.split() for run in re.findall(r"\d+", group)]
    return max(runs, key=len) if runs else None
