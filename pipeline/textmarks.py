"""Stamp and handwriting in OCR text files (a helper of the clean stage).

OCR text of a scan mixes the receiving office's "ĐẾN" stamp and pen notes into the body. Such files
mark emphasis the way the OCR tool saw it: ``**bold**`` for print, ``*italic*`` or ``<i>...</i>`` for
handwriting. This module takes the stamp lines out into a Registration, the pen notes out into
annotations, and puts back the pieces of body text that the stamp's fields swallowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lexicon import fold
from pipeline.models import Annotation, Paragraph, Registration
from pipeline.stamp import iso_date

HAND = re.compile(r"<i>(?P<a>.*?)</i>|(?<!\*)\*(?!\*)(?P<b>[^*]+?)\*(?!\*)")
BOLD = re.compile(r"\*\*|</?(?:b|strong|em)>")
STAMP_HEAD = re.compile(r"^(?:CÔNG\s+VĂN\s+)?Đ[ẾE]N\b", re.IGNORECASE)
# Stamp fields are labels followed by dotted leaders: "SỐ:..... 1860", "NGÀY:..... 04/10/2015".
STAMP_FIELD = re.compile(
    r"(?P<label>S[ỐO]|NG[ÀA]Y|CHUY[ỂE]N|L[ƯU]U\s+H[ỒO](?:\s+S[ƠO])?|S[ỐO]\s+V[ÀA]\s+K[ÝY]\s+HI[ỆE]U\s+HS)\s*:\s*\.{2,}\s*"
    r"(?P<value>.*?)\s*(?=(?:S[ỐO]|NG[ÀA]Y|CHUY[ỂE]N|L[ƯU]U\s+H[ỒO])\s*:\s*\.{2,}|$)",
    re.IGNORECASE,
)
_PREFIX_STARTERS = ("căn cứ", "thực hiện", "theo", "xét")
_REF_START = re.compile(r"^(Luật|Nghị định|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Kế hoạch|Công văn|Văn bản)\b")


@dataclass
class Marks:
    registration: Registration | None = None
    annotations: list[Annotation] = field(default_factory=list)
    handwritten: dict[int, list[str]] = field(default_factory=dict)  # line_no -> handwritten spans kept
    notes: list[str] = field(default_factory=list)  # what was done, for Document.issues


def separate(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], Marks]:
    """Remove stamp and pen-note lines; return the body lines and what was found."""
    marks = Marks()
    body: list[Paragraph] = []
    fragments: list[tuple[int, str]] = []  # (position in body, text swallowed by a stamp field)
    stamp_lines: list[str] = []
    header_seen = False
    for p in paragraphs:
        raw = p.text
        plain = _plain(raw)
        if STAMP_HEAD.match(plain) or STAMP_FIELD.search(raw):
            if STAMP_HEAD.match(plain) and body and _is_receiver(body[-1].text) and not stamp_lines:
                stamp_lines.append(body.pop().text)
            stamp_lines.append(plain)
            fragments.extend((len(body), f) for f in _read_stamp_line(raw, marks))
            continue
        if not header_seen and _is_margin_note(plain):
            marks.annotations.append(Annotation(kind="handwriting", text=plain, page=p.page))
            continue
        header_seen = header_seen or plain.isupper() or plain.startswith("Số")
        text = _drop_trailing_notes(raw, p, marks)
        if not text:
            continue
        body.append(p.model_copy(update={"text": text}))
    if stamp_lines:
        marks.registration = marks.registration or Registration()
        if marks.registration.receiver is None and not STAMP_HEAD.match(stamp_lines[0]):
            marks.registration.receiver = stamp_lines[0]
        marks.annotations.append(Annotation(kind="stamp", text=" | ".join(stamp_lines), page=1))
    _restore_fragments(body, fragments, marks)
    return body, marks


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", BOLD.sub("", HAND.sub(lambda m: m.group("a") or m.group("b") or "", text))).strip()


def _is_receiver(text: str) -> bool:
    plain = _plain(text)
    return plain.isupper() and len(plain.split()) <= 8 and not plain.startswith("SỐ")


def _is_margin_note(plain: str) -> bool:
    """Short lines above the header that are not print (a pen note such as "Trưởng ban")."""
    return 0 < len(plain.split()) <= 3 and not plain.isupper() and not plain.startswith(("Số", "V/v"))


def _read_stamp_line(raw: str, marks: Marks) -> list[str]:
    marks.registration = marks.registration or Registration()
    reg = marks.registration
    swallowed = []
    for m in STAMP_FIELD.finditer(raw):
        label = fold(_plain(m.group("label")))
        value = _plain(m.group("value")).strip(" .")
        if not value:
            continue
        if label.startswith(("số", "so")) and "hs" not in label:
            digits = re.sub(r"\D", "", value)
            reg.number = digits or None
        elif label.startswith(("ngày", "ngay")):
            reg.date = iso_date(value)
        elif _looks_like_body(value):
            swallowed.append(value)  # the stamp covered a body line; the OCR put it in the field
        elif label.startswith(("chuyển", "chuyen")):
            reg.forwarded_to = value
        else:
            reg.file_no = value
    return swallowed


def _looks_like_body(value: str) -> bool:
    return fold(value).startswith(_PREFIX_STARTERS) or len(value.split()) > 6


def _drop_trailing_notes(raw: str, p: Paragraph, marks: Marks) -> str:
    """Pen notes after the print ("... thực hiện./ *qu*", "Nơi nhận: *VS*") go to annotations;
    handwriting inside print ("Số: *2774* /KH-UBND") stays, remembered as handwritten."""
    kept: list[str] = []

    def replace(m: re.Match) -> str:
        span = (m.group("a") or m.group("b") or "").strip()
        rest = raw[m.end():]
        if not _plain(rest):  # nothing printed after it: a note in the margin
            marks.annotations.append(Annotation(kind="handwriting", text=span, page=p.page))
            return ""
        kept.append(span)
        return span

    text = _plain(HAND.sub(replace, raw))
    if kept and p.line_no is not None:
        marks.handwritten[p.line_no] = kept
    return re.sub(r"\.\s*/\s*(\.?)\s*$", r"./\1", text)


def _restore_fragments(body: list[Paragraph], fragments: list[tuple[int, str]], marks: Marks) -> None:
    """Put body text that a stamp field swallowed back where it belongs, or drop it if already there."""
    for position, fragment in fragments:
        nearby = body[position:position + 4]
        key = fold(fragment)
        if any(key in fold(p.text) for p in nearby):
            continue  # the body line was read whole elsewhere
        target = next((p for p in nearby if _REF_START.match(p.text)), None)
        if key.startswith(_PREFIX_STARTERS) and target is not None:
            target.text = f"{fragment} {target.text}"
            marks.notes.append(f"restored '{fragment}' that the stamp overlapped, line {target.line_no}")
        else:
            marks.notes.append(f"text under the stamp not placed: '{fragment}'")
