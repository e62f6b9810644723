"""Header fields per Nghị định 30: issuer, number and symbol, place and date, type, subject, "Kính gửi"."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from pipeline.geometry import centre_inside
from pipeline.lang.dates import impossible_date_note, iso_date
from pipeline.lang.letters import VIET_UPPER, bare, fold
from pipeline.lang.lists import Lists
from pipeline.models import Annotation, Metadata, Paragraph

# "Số: 2774/KH-UBND", OCR'd as "Sô:", "S6:", "Số 2774 / KH - UBND", "Số: 89 /2026/QĐ-CT".
# (a speck before it is read as "-", "." or "'": "- Số: 17 /KH-SCT")
NUMBER_LINE = re.compile(r"^\s*(?:[-.,'`|]\s*)?S[ốôoó6ỗồ0ẽếềễe]\s*[:;.,]?\s*(?P<rest>.*)$", re.IGNORECASE)
# the symbol alone at the end of a number line whose number (often by pen) and slash were misread
_LONE_SYMBOL = re.compile(r"(?P<symbol>[A-ZĐ]{2,}(?:-[A-ZĐ&]{2,})+)\s*$")
NUMBER_SYMBOL = re.compile(
    r"^(?P<number>[0-9OoIl|]{1,6})?\s*[/|]\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<symbol>[A-ZĐÐa-zđ0-9&.]+(?:\s*-\s*[A-ZĐÐa-zđ0-9&.]+)*)"
)
# "Hà Giang, ngày": OCR may drop the comma; then the place is a few capitalised words ("Căn cứ Luật
# Lâm nghiệp ngày 15 tháng 11 năm 2017" is a legal basis, not a place and date).
_UPPER = VIET_UPPER
_PLACE = (r"^(?:(?P<place>[^,]{2,40}),|(?!Căn\b)(?-i:(?P<uncommaed>[" + _UPPER + r"][^\s,\d]*(?:\s+[" + _UPPER
          + r"][^\s,\d]*){0,3})))")
# The printed form with the day and month left blank for the pen ("Hà Nội, ngày    tháng   năm 2026"),
# its labels and year as OCR reads them beside pen ink ("ngày 17 táng? năm.2025", "ngảy tháng").
DATE_BLANK = re.compile(
    _PLACE + r"\s*ng[^\W\d]y\s*(?P<day>.{0,8}?)\s*t\w{0,3}ng\W?\s*(?P<month>.{0,8}?)"
    r"\s*năm\W{0,2}(?P<year>\d{4})",
    re.IGNORECASE,
)
DATE_LINE = re.compile(
    _PLACE + r"\s*ngày\s*(?P<day>[0-9OoIl]{1,2})\s*tháng\s*(?P<month>[0-9OoIl]{1,2})\s*năm\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
# "V/v ...", also as OCR reads it: "V/ v", "V|v", "VX" (the slash and v run together)
SUBJECT_VV = re.compile(r"^V\s*(?:[/|]\s*v|X(?=\s))[:.]?\s*(?P<rest>.*)$", re.IGNORECASE)
# "Kính gửi:" with the marks OCR confuses on its vowels ("Kính gưi:", "Kinh gửi")
ADDRESSEE = re.compile(r"^K[íìỉi]nh\s+g[uùúủũụưừứửữự]i\s*[:;.]?\s*(?P<rest>.*)$", re.IGNORECASE)
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "L": "1", "i": "1", "|": "1"})


def is_motto(text: str, lists: Lists) -> bool:
    key = fold(text)
    return any(fold(m) in key for m in lists.patterns["header"]["motto"]) or key.startswith("độc lập")


def doc_type_of(text: str, lists: Lists) -> str | None:
    """The document type named by a title line ("KẾ HOẠCH"), or None."""
    words = re.sub(r"[^\w\s]", " ", text).split()
    if not 1 <= len(words) <= 4:
        return None
    key = bare(" ".join(words))  # "QUYÉT ĐỊNH" is OCR's "QUYẾT ĐỊNH"
    return next((name for name in lists.doc_types if bare(name) == key), None)


def parse_number(text: str, meta: Metadata) -> bool:
    m = NUMBER_LINE.match(text)
    if not m:
        return False
    n = NUMBER_SYMBOL.match(m.group("rest").strip())
    if not n:
        if lone := _LONE_SYMBOL.search(m.group("rest")):
            meta.symbol = lone.group("symbol")  # the number stays unknown: never guessed from debris
            return True
        return False
    if n.group("number"):
        meta.number = n.group("number").translate(_DIGIT_FIX)
    symbol = re.sub(r"\s+", "", n.group("symbol")).upper().replace("Ð", "Đ")
    meta.symbol = symbol.strip(".-")
    return True


def parse_date(text: str, meta: Metadata, lists: Lists, notes: list[str] | None = None) -> bool:
    """Place and date from the place-and-date line; True when it is that line with its day printed.

    A printed day that is no calendar day ("ngày 31 tháng 2") leaves the date empty, said in *notes*.
    """
    m = DATE_LINE.match(text)
    if not m:
        blank = DATE_BLANK.match(text)
        if blank:  # place and year are printed; the day and month come from the pen (see fill_by_hand)
            meta.place = _mend_place(_place_of(blank), lists)
        return False
    day, month = (m.group(k).translate(_DIGIT_FIX) for k in ("day", "month"))
    if not (day.isdigit() and month.isdigit()):
        return False
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return False
    meta.place = _mend_place(_place_of(m), lists)
    meta.date = iso_date(m.group("year"), month, day)
    if meta.date is None and notes is not None:
        notes.append(impossible_date_note("header date", f"{day}/{month}/{m.group('year')}"))
    return True


_YEAR_OPENS = re.compile(r"^năm\s*\d{4}\b", re.IGNORECASE)


def _date_split(p: Paragraph, following: Paragraph) -> Paragraph | None:
    """The place-and-date line as one paragraph when OCR cut it before "năm"."""
    if "tháng" not in p.text.lower() or not _YEAR_OPENS.match(following.text):
        return None
    joined = p.model_copy(update={"text": f"{p.text} {following.text}"})
    return joined if DATE_BLANK.match(joined.text) else None


def _place_of(m: re.Match) -> str:
    return (m.group("place") or m.group("uncommaed")).strip(" .:;-")


def _mend_place(place: str, lists: Lists) -> str:
    """"Lào Cdi" -> "Lào Cai" when a listed place is nearly equal; unknown places stay as read."""
    known = lists.places
    if place in known:
        return place
    best = process.extractOne(place, known, scorer=fuzz.ratio, score_cutoff=80)
    return best[0] if best else place


def split_issuer(lines: list[str], lists: Lists) -> tuple[str | None, str | None]:
    """Issuer lines -> (parent, issuer): a line starting with an organisation word opens a new body."""
    heads = [bare(h) for h in lists.patterns["header"]["org_heads"]]
    units: list[str] = []
    for line in lines:
        key = bare(line)  # "SỚ TÀI CHÍNH" is still a Sở
        if units and not any(key.startswith(h + " ") or key == h for h in heads):
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
    if not units:
        return None, None
    if len(units) == 1:
        return None, units[0]
    return " ".join(units[:-1]), units[-1]


def is_upper_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def handwritten_notes(p: Paragraph, meta: Metadata, field: str) -> list[str]:
    """Issue texts for header values that were written by hand into the printed form."""
    value = getattr(meta, field) or ""
    pieces = [h for h in p.handwritten if h and (h in value or h in p.text and field == "date")]
    if not pieces:
        return []
    conf = "unknown" if p.conf < 0 else f"{p.conf:.0f}/100"
    return [f"header {field} {value!r} is handwritten ({', '.join(pieces)}); OCR confidence {conf}"]


def parse_header(paragraphs: list[Paragraph], lists: Lists, notes: list[str] | None = None,
                 where: dict[str, Paragraph] | None = None) -> tuple[Metadata, int]:
    """Fill header fields from the top paragraphs; return them and the index where the body starts.

    *where* receives the paragraphs that hold the number and the date, for ``fill_by_hand``.
    """
    notes = [] if notes is None else notes
    where = {} if where is None else where
    meta = Metadata()
    issuer_lines: list[str] = []
    subject: list[str] = []
    type_at = None
    i = 0
    limit = min(len(paragraphs), 40)
    while i < limit:
        p = paragraphs[i]
        if "date" not in where and i + 1 < len(paragraphs) and (joined := _date_split(p, paragraphs[i + 1])):
            p = joined  # "Hà Giang, ngày 2 tháng" / "năm 2026": a pen figure broke the line
            i += 1
        text = p.text
        if is_motto(text, lists):
            pass
        elif meta.number is None and meta.symbol is None and parse_number(text, meta):
            notes.extend(handwritten_notes(p, meta, "number"))
            where["number"] = p
            if meta.number is None and (figure := _raised_figure(p, paragraphs[max(0, i - 1):i + 2])):
                where["number_figure"] = figure
        elif meta.date is None and "date" not in where and parse_date(text, meta, lists, notes):
            notes.extend(handwritten_notes(p, meta, "date"))
            where["date"] = where["printed_date"] = p  # its day and month are print, no pen's
        elif meta.date is None and "date" not in where and DATE_BLANK.match(text):
            where["date"] = p
        elif (m := SUBJECT_VV.match(text)) and type_at is None:
            subject.append(m.group("rest"))
            i = _continue_subject(paragraphs, i + 1, subject, lists, vv=True)
            continue
        elif type_at is None and (dtype := doc_type_of(text, lists)):
            meta.document_type = dtype
            type_at = i
            i = _continue_subject(paragraphs, i + 1, subject, lists, vv=False)
            continue
        elif ADDRESSEE.match(text):
            i = _addressees(paragraphs, i, meta)
            continue
        elif is_upper_line(text) and meta.symbol is None and type_at is None and p.column != "right":
            issuer_lines.append(text)
        elif _is_body_start(p) or (meta.date and (type_at is not None or subject)):
            break
        i += 1
    meta.issuer_parent, meta.issuer = split_issuer(issuer_lines, lists)
    meta.subject = " ".join(subject).strip(" .,:;…-") or None
    if meta.document_type is None and subject:
        meta.document_type = "CÔNG VĂN"
    return meta, i


def _is_body_start(p: Paragraph) -> bool:
    return p.column == "full" and not p.centered and len(p.text) > 60


MAX_SUBJECT_LINES = 8  # a Quyết định's subject in capitals runs to seven centred lines


def _continue_subject(paragraphs: list[Paragraph], i: int, subject: list[str], lists: Lists, vv: bool) -> int:
    """Subject lines follow the type (centred) or the "V/v" (left column) until the body starts."""
    taken = 0
    while i < len(paragraphs) and taken < MAX_SUBJECT_LINES:
        p = paragraphs[i]
        text = p.text
        if is_motto(text, lists) or NUMBER_LINE.match(text) and "/" in text or DATE_LINE.match(text):
            break  # the other header column; the caller reads it
        if ADDRESSEE.match(text) or text.startswith(("Căn cứ", "Thực hiện Chỉ thị số")) and subject:
            break
        if p.bbox is not None:
            if vv and p.column != "left":
                break
            # a long subject line fills the width, so it is not centred; it still continues the
            # subject when it opens a quoted name or goes on in lower case
            if not vv and not p.centered and not (subject and text[:1] in "“\"'" or text[:1].islower()):
                break
        else:  # text input: stop at sentence ends and body markers
            if subject and (text.endswith((";", ":")) or len(text) > 160 or is_upper_line(text)):
                break
        if is_upper_line(text) and not vv and subject and not _caps_subject_goes_on(subject, text, lists):
            break  # the authority line of a Quyết định ("ỦY BAN NHÂN DÂN TỈNH ...")
        subject.append(text)
        taken += 1
        i += 1
        if p.bbox is None and text.endswith((";", ".")):
            break
    return i


def _caps_subject_goes_on(subject: list[str], text: str, lists: Lists) -> bool:
    """A subject in capitals wraps over several centred lines in capitals ("VỀ VIỆC TĂNG CƯỜNG ... VÀ" /
    "SỬ DỤNG HÀNG DỰ TRỮ ..."); the line in capitals under a subject in lower case, or one naming who
    decides ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..."), is no part of it."""
    if not all(is_upper_line(line) for line in subject):
        return False
    key = bare(text)
    heads = (bare(h) for h in lists.patterns["header"]["authority"])
    return not any(key == head or key.startswith(head + " ") for head in heads)


def _addressees(paragraphs: list[Paragraph], i: int, meta: Metadata) -> int:
    rest = ADDRESSEE.match(paragraphs[i].text).group("rest").strip()
    i += 1
    if rest and not rest.startswith("-"):
        meta.addressees.append(rest.rstrip(";."))
        return i
    if rest:
        meta.addressees.append(rest.lstrip("- ").rstrip(";."))
    while (
        i < len(paragraphs)
        and paragraphs[i].text.startswith(("-", "+", "•"))
        and len(paragraphs[i].text) < 120
    ):
        meta.addressees.append(paragraphs[i].text.lstrip("-+• ").rstrip(";."))
        i += 1
    return i


def fill_by_hand(meta: Metadata, where: dict[str, Paragraph], marks: list[Annotation]) -> list[str]:
    """Number, day and month written by pen into the printed blanks, from digit-only readings.

    Returns issue texts: every value taken from handwriting is reported with its confidence, and a
    blank that holds unreadable ink is reported and left null (never a guess).
    """
    notes: list[str] = []
    if meta.number is None and (p := where.get("number")) is not None:
        pens = _pen_marks_on(p, marks)
        if pens:
            value, conf = _digits_of(pens[:1])
            meta.number = value
            notes.append(_hand_note("number", value, conf))
    if meta.number is None and (p := where.get("number_figure")) is not None:
        meta.number = p.text  # no ink test found the pen (as dark as toner): Tesseract read it as a line
        conf = "unknown" if p.conf < 0 else f"{p.conf:.0f}/100"
        notes.append(f"header number {p.text!r} is handwritten off the printed blank; OCR confidence {conf}")
    if meta.date is None and (p := where.get("date")) is not None and "printed_date" not in where:
        pens = _pen_marks_on(p, marks)
        m = DATE_BLANK.match(p.text)
        if m and len(pens) >= 2:
            (day, c1), (month, c2) = _digits_of(pens[:1]), _digits_of(pens[1:2])
            meta.date = iso_date(m.group("year"), month, day) if day and month else None
            notes.append(_hand_note("date", meta.date, min(c1, c2)))
        elif m:  # ink no mark test found (a pen as dark as toner), or none at all
            notes.append("header date: the day or month in the printed blank (handwritten, or left blank) "
                         "could not be read; left empty")
    return notes


def fill_from_fields(meta: Metadata, where: dict[str, Paragraph], marks: list[Annotation]) -> list[str]:
    """Number, day and month an e-office system stamped as form fields over the printed blanks ("Số:
    /UBND-XD" with "3686" in a field over it; "ngày tháng 5" with "11" over the day's blank).

    Returns issue texts: each value taken from a field says so, with its OCR confidence."""
    notes: list[str] = []
    if meta.number is None and (p := where.get("number")) is not None:
        fields = _pen_marks_on(p, marks, kind="field")
        if fields and (value := _figures(fields[0].text)):
            meta.number = value
            notes.append(_field_note("number", value, fields[0]))
    if meta.date is None and (p := where.get("date")) is not None and "printed_date" not in where:
        m = DATE_BLANK.match(p.text)
        fields = [f for f in _pen_marks_on(p, marks, kind="field") if _figures(f.text)]
        if m and fields:
            day, month = (_figures(m.group(k)) for k in ("day", "month"))  # what is printed
            values = [_figures(f.text) for f in fields]  # the blanks, left to right
            if day is None and values:
                day = values.pop(0)
            if month is None and values:
                month = values.pop(0)
            meta.date = iso_date(m.group("year"), month, day) if day and month else None
            if meta.date:
                notes.append(_field_note("date", meta.date, fields[0]))
    return notes


def _figures(text: str | None) -> str | None:
    """The first run of figures in *text* ("3686 /" -> "3686"), or None."""
    m = re.search(r"\d+", text or "")
    return m.group(0) if m else None


def _field_note(field: str, value: str, mark: Annotation) -> str:
    conf = "unknown" if mark.conf is None else f"{mark.conf:.0f}/100"
    return (f"header {field} {value!r} is an e-office form field stamped at signing (not in the page's "
            f"text); read by OCR with confidence {conf}")


def _raised_figure(number_line: Paragraph, around: list[Paragraph]) -> Paragraph | None:
    """A figure alone on a line just above or below "Số: /…" and over its blank: the pen's number,
    written off the printed line."""
    if number_line.bbox is None:
        return None
    x0, y0, x1, y1 = number_line.bbox
    reach = (x0, 2 * y0 - y1, x1, 2 * y1 - y0)  # a line's height above and below it
    return next((p for p in around if p is not number_line and p.bbox and p.page == number_line.page
                 and re.fullmatch(r"\d{1,6}", p.text) and centre_inside(p.bbox, reach)), None)


def printed_year(where: dict) -> int | None:
    """The year printed in the place-and-date line, also when its day and month are illegible."""
    blank = DATE_BLANK.match(where["date"].text) if "date" in where else None
    return int(blank["year"]) if blank else None


def _pen_marks_on(p: Paragraph, marks: list[Annotation], kind: str = "handwriting") -> list[Annotation]:
    """Marks of *kind* (pen marks, or form fields) on the same page and line as paragraph *p*, left to
    right."""
    if p.bbox is None:
        return []
    x0, y0, x1, y1 = p.bbox
    height = y1 - y0
    hits = [
        m
        for m in marks
        if m.kind == kind
        and m.page == p.page
        and m.bbox is not None
        and m.bbox[1] < y1 + height
        and m.bbox[3] > y0 - height
        and m.bbox[0] < x1
        and m.bbox[2] > x0 - height
    ]
    return sorted(hits, key=lambda m: m.bbox[0])


def _digits_of(pens: list[Annotation]) -> tuple[str | None, float]:
    mark = pens[0]
    digits = re.sub(r"\D", "", (mark.digits or "").split("\n")[0])
    return (digits or None), (mark.digits_conf or 0.0)


def _hand_note(field: str, value: str | None, conf: float) -> str:
    if value is None:
        return f"header {field} is handwritten and could not be read; left empty"
    return (
        f"header {field} {value!r} is handwritten; read by a digit-only pass with confidence {conf:.0f}/100"
    )
