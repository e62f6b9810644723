"""Stamp and handwriting in OCR text files.

OCR text of a scan mixes the receiving office's "ĐẾN" stamp and pen notes into the body. Such files
mark emphasis the way the OCR tool saw it: ``**bold**`` for print, ``*italic*`` or ``<i>...</i>`` for
handwriting. This module takes the stamp's lines out into a stamp annotation (the segment stage
reads its fields), the pen notes out into annotations, and puts back the pieces of body text that
the stamp's fields swallowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lang.letters import fold
from pipeline.lang.stamps import BODY_OPENINGS, STAMP_FIELD, STAMP_HEAD, looks_like_body, stamp_fields
from pipeline.models import Annotation, Paragraph

HAND = re.compile(r"<i>(?P<a>.*?)</i>|(?<!\*)\*(?!\*)(?P<b>[^*]+?)\*(?!\*)")
BOLD = re.compile(r"\*\*|</?(?:b|strong|em)>")
MARGIN_NOTE_WORDS = 3  # a line above the header this short, not in capitals, is a pen note
RECEIVER_WORDS = 8  # the receiving office's name above the stamp's title is at most this long
_REF_START = re.compile(
    r"^(Luật|Nghị định|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Kế hoạch|Công văn|Văn bản)\b"
)


@dataclass
class Marks:
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
            fragments.extend((len(body), f) for f in _swallowed(raw))
            continue
        if not header_seen and _is_margin_note(plain):
            marks.annotations.append(Annotation(kind="handwriting", text=plain, page=p.page))
            continue
        header_seen = header_seen or plain.isupper() or plain.startswith("Số")
        text = _drop_trailing_notes(raw, p, marks)
        if not text:
            continue
        body.append(p.model_copy(update={"text": text}))
    if stamp_lines:  # the lines apart by " | ", as segment.registration reads them back
        marks.annotations.append(Annotation(kind="stamp", text=" | ".join(stamp_lines), page=1))
    _restore_fragments(body, fragments, marks)
    return body, marks


def _plain(text: str) -> str:
    return re.sub(
        r"\s+", " ", BOLD.sub("", HAND.sub(lambda m: m.group("a") or m.group("b") or "", text))
    ).strip()


def _is_receiver(text: str) -> bool:
    plain = _plain(text)
    return plain.isupper() and len(plain.split()) <= RECEIVER_WORDS and not plain.startswith("SỐ")


def _is_margin_note(plain: str) -> bool:
    """Short lines above the header that are not print (a pen note such as "Trưởng ban")."""
    return (
        0 < len(plain.split()) <= MARGIN_NOTE_WORDS
        and not plain.isupper()
        and not plain.startswith(("Số", "V/v"))
    )


def _swallowed(raw: str) -> list[str]:
    """Body text a stamp field holds: the stamp covered a body line and the OCR put it in the field."""
    values = (
        _plain(value).strip(" .") for field, value in stamp_fields(raw) if field not in ("number", "date")
    )
    return [value for value in values if value and looks_like_body(value)]


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
        if key.startswith(BODY_OPENINGS) and target is not None:
            target.text = f"{fragment} {target.text}"
            marks.notes.append(f"restored '{fragment}' that the stamp overlapped, line {target.line_no}")
        else:
            marks.notes.append(f"text under the stamp not placed: '{fragment}'")
