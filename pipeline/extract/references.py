"""Legal references ("Quyết định số 18/2011/QĐ-TTg ngày 18/3/2011") and deadlines in a text."""

from __future__ import annotations

import re

from pipeline.lang.dates import day_month, impossible_date_note, iso_date
from pipeline.models import Deadline, Reference

_TYPES = ("Luật|Nghị định|Quyết định|Chỉ thị|Thông tư liên tịch|Thông tư|Kế hoạch|Nghị quyết|Công văn|"
          "Thông báo|Hướng dẫn|Tờ trình|Công điện|Văn bản|Pháp lệnh")
REFERENCE = re.compile(
    rf"(?P<type>{_TYPES})(?P<name>(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*(?:\s+[\wÀ-ỹđ]+){{0,6}}?)?)\s+(?:số\s*)?"
    r"(?P<number>\d{1,6})(?:\s*/\s*(?P<year>(?:19|20)\d{2}))?\s*/\s*"
    r"(?P<symbol>[A-ZĐ][A-ZĐa-zđ0-9&]{0,9}(?:\s*-\s*[A-ZĐ0-9][A-ZĐa-zđ0-9&]{0,12}){0,3})"
    r"(?:\s+ngày\s+(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<dyear>(?:19|20)\d{2})"
    r"|\s+ngày\s+(?P<day2>\d{1,2})\s+tháng\s+(?P<month2>\d{1,2})\s+năm\s+(?P<dyear2>(?:19|20)\d{2}))?"
)
_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}
DEADLINES = [
    ("annual", re.compile(r"trước ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s+(?:hàng|hằng) năm", re.I)),
    (
        "before",
        re.compile(
            r"(?:trước|chậm nhất|hạn chót)[^0-9]{0,12}ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})"
            r"\s*/\s*(?P<y>\d{4})",
            re.I,
        ),
    ),
    (
        "quarter",
        re.compile(r"(?:trong |trước |hết )?quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|năm\s+)(?P<y>\d{4})", re.I),
    ),
    ("period", re.compile(r"giai đoạn\s+(?P<a>\d{4})\s*[-–]\s*(?P<b>\d{4})", re.I)),
    (
        "periodic",
        re.compile(
            r"định kỳ\s+(?:(?P<n>\d{1,2})\s+tháng|(?P<word>hằng|hàng)\s+(?P<unit>năm|quý|tháng))", re.I
        ),
    ),
    (
        "date",
        re.compile(
            r"(?:trước|đến|vào|từ)\s+ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})", re.I
        ),
    ),
]


def find_references(text: str, notes: list[str] | None = None) -> list[Reference]:
    """Every legal reference in *text*; an issuing date that is no calendar day is left empty, and
    said in *notes*."""
    refs = []
    for m in REFERENCE.finditer(text):
        symbol = re.sub(r"\s+", "", m.group("symbol"))
        day, month, year = (m.group("day") or m.group("day2"), m.group("month") or m.group("month2"),
                            m.group("dyear") or m.group("dyear2"))
        issued = _date(year, month, day, f"reference '{m.group(0).strip()}'", notes)
        ref_year = int(m.group("year")) if m.group("year") else (int(year) if year else None)
        parts = symbol.split("-")
        refs.append(Reference(
            raw=m.group(0).strip(), type=m.group("type"), number=m.group("number"), year=ref_year,
            symbol=symbol, issuer_code=parts[-1] if len(parts) > 1 else None, date=issued,
        ))
    return refs


def find_deadline(text: str, notes: list[str] | None = None) -> Deadline | None:
    """The first deadline *text* sets; a day that is not in the calendar is left empty, and said in
    *notes*."""
    for kind, pattern in DEADLINES:
        m = pattern.search(text)
        if not m:
            continue
        g = m.groupdict()
        if kind == "annual":
            found = day_month(int(g["d"]), int(g["m"]))
            if found is None and notes is not None:
                notes.append(impossible_date_note("deadline", m.group(0)))
            return Deadline(
                raw=m.group(0), kind="annual", month_day=f"{found[1]:02d}-{found[0]:02d}" if found else None
            )
        if kind in ("before", "date"):
            return Deadline(
                raw=m.group(0), kind=kind, date=_date(g["y"], g["m"], g["d"], "deadline", notes, m.group(0))
            )
        if kind == "quarter":
            q = g["q"].upper()
            return Deadline(
                raw=m.group(0), kind="quarter", quarter=_ROMAN_Q.get(q) or int(q), year=int(g["y"])
            )
        if kind == "period":
            return Deadline(raw=m.group(0), kind="period", start_year=int(g["a"]), end_year=int(g["b"]))
        months = int(g["n"]) if g.get("n") else {"năm": 12, "quý": 3, "tháng": 1}[g["unit"].lower()]
        return Deadline(raw=m.group(0), kind="periodic", months=months)
    return None


def _date(year, month, day, what: str, notes: list[str] | None, written: str | None = None) -> str | None:
    """The ISO date of the figures a pattern read, or None (and a note) when there is no such day."""
    if not (year and month and day):
        return None
    date = iso_date(year, month, day)
    if date is None and notes is not None:
        notes.append(impossible_date_note(what, written or f"{day}/{month}/{year}"))
    return date
