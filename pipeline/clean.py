"""Clean: turn OCR lines into paragraphs in reading order, NFC, with page and box provenance.

Reads: Page.blocks (OCR or text layer), or Document.paragraphs from a text file.
Writes: Document.paragraphs (one per logical paragraph; header and closing lines one each),
Document.text (paragraphs joined by newlines), Paragraph.start/end offsets into it.

Nghị định 30 pages are single-column bodies framed by two-column blocks (issuer | motto at the top,
"Nơi nhận" | signer at the bottom). Tesseract often reads such a row as one line, so lines are split
at wide gaps and two-column zones are read left column first.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from pipeline import textmarks
from pipeline.config import CleanConfig
from pipeline.debris import ink_remains, is_junk, motto_starts, stamp_words
from pipeline.lexicon import VIET_LETTERS, patterns
from pipeline.models import Annotation, BBox, Document, Page, Paragraph, Word, union_box
from pipeline.spelling import all_syllables, mend
from pipeline.stamp import parse_stamp, vote_figures

# A new paragraph starts with a bullet, an item number, a Roman section, an article or a label.
STRUCTURE_START = re.compile(
    r"^(?:[-+•*]\s|[IVXLT1l]{1,5}[.,]\s|\d{1,2}(?:\.\d{1,2})*[.)/]\s|[a-zđ][).]\s|Điều\s+\d|Căn cứ|Nơi nhận|Kính gửi)"
)
TERMINAL = re.compile(r"[.;:!?…)\]”\"']\s*$|\./\.?$")
_MARKUP = re.compile(r"\*+|</?(?:i|b|em|strong)>")  # emphasis some OCR tools write as Markdown/HTML
_STRAY_APOSTROPHE = re.compile(r"(?<=[A-Za-zÀ-ỹĐđ])['‘’`](?=[A-Za-zÀ-ỹĐđ])")  # "CT-T'Tg": Vietnamese has none
_SYMBOL_CODE = re.compile(r"(/[A-ZĐ]{1,6}-)([A-ZĐa-z0-9]{2,8})\b")
_CONFUSABLES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u2013": "-", "\u2014": "-", "\u00a0": " ",
                              "\u2044": "/"})


@dataclass
class _Row:
    """One visual line (or one column's part of it) on a page."""

    words: list[Word]
    page: int
    column: str = "full"
    bbox: BBox = (0, 0, 0, 0)
    parts: list[_Row] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.words:
            self.bbox = union_box(w.bbox for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> int:
        return max(1, self.bbox[3] - self.bbox[1])


def normalize(text: str) -> str:
    """NFC with the look-alike letters OCR and old fonts produce (Ð -> Đ), spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_CONFUSABLES)
    text = _fix_symbols(_STRAY_APOSTROPHE.sub("", text))
    text = _apply_ocr_fixes(text)
    text = re.sub(r"^-?['`|_~]+(?=\w)", "", text.strip())  # ink debris glued to the first word
    return re.sub(r"\s+", " ", text).strip()


def run(doc: Document, cfg: CleanConfig) -> Document:
    """Build paragraphs and the text of the document."""
    if doc.source.kind == "text":
        paragraphs = _separate_marks(doc) if cfg.separate_marks else doc.paragraphs
        paragraphs = [p.model_copy(update={"text": normalize(_MARKUP.sub("", p.text))}) for p in paragraphs]
        if cfg.join_broken_lines:
            paragraphs = _join_text_lines(paragraphs)
    else:
        stamps = [a for a in doc.annotations if a.kind == "stamp" and a.text]
        if stamps and doc.registration is None:
            doc.registration = parse_stamp(stamps[0].text)
            vote_figures(doc.registration, stamps[0].readings)
        paragraphs = []
        for page in doc.pages:
            paragraphs.extend(_page_paragraphs(page, doc.annotations))
        if cfg.join_broken_lines:
            paragraphs = _join_across_pages(paragraphs)
    if cfg.mend_syllables:
        for p in paragraphs:
            p.text = mend(p.text)
    _set_offsets(doc, [p for p in paragraphs if p.text])
    return doc


def _separate_marks(doc: Document) -> list[Paragraph]:
    """Stamp and pen notes out of an OCR text file (see textmarks)."""
    body, marks = textmarks.separate(doc.paragraphs)
    doc.registration = marks.registration or doc.registration
    doc.annotations.extend(marks.annotations)
    for p in body:
        p.handwritten = marks.handwritten.get(p.line_no, [])
    for note in marks.notes:
        doc.warn("clean", note)
    return body


@cache
def _ocr_fixes() -> list[tuple[re.Pattern, str]]:
    """configs/patterns.toml [ocr_fixes]: "${1}" in a replacement is the first group."""
    return [(re.compile(p), r.replace("${", "\\g<").replace("}", ">"))
            for p, r in patterns().get("ocr_fixes", {}).get("rules", [])]


def _apply_ocr_fixes(text: str) -> str:
    for pattern, replacement in _ocr_fixes():
        text = pattern.sub(replacement, text)
    return text


def _fix_symbols(text: str) -> str:
    """"28/CT-TTG" -> "28/CT-TTg": issuer codes get the spelling configs/patterns.toml lists."""
    spelled = {s.upper(): s for s in patterns()["symbols"]["spelled"]}
    return _SYMBOL_CODE.sub(lambda m: m.group(1) + spelled.get(m.group(2).upper(), m.group(2)), text)


def _set_offsets(doc: Document, paragraphs: list[Paragraph]) -> None:
    pos = 0
    for p in paragraphs:
        p.start, p.end = pos, pos + len(p.text)
        pos = p.end + 1
    doc.paragraphs = paragraphs
    doc.text = "\n".join(p.text for p in paragraphs)


def _join_text_lines(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Text files hold a paragraph per line, but page breaks split some of them."""
    out: list[Paragraph] = []
    for p in paragraphs:
        prev = out[-1] if out else None
        if prev and _continues(prev.text, p.text):
            prev.text = f"{prev.text} {p.text}"
        else:
            out.append(p)
    return out


def _continues(prev: str, nxt: str) -> bool:
    if TERMINAL.search(prev) or STRUCTURE_START.match(nxt) or not nxt:
        return False
    if nxt[0].islower():
        return True
    # A long line without closing punctuation was cut by a page break ("các Bộ, ngành" / "Trung ương").
    return len(prev) > 120 and not nxt.isupper()


def _page_paragraphs(page: Page, notes: list[Annotation]) -> list[Paragraph]:
    marks = [(m.bbox, stamp_words(m)) for m in notes
             if m.page == page.number and m.bbox and m.kind in ("stamp", "handwriting")]
    rows = _rows(page, marks)
    if not rows:
        return []
    left, right = _text_edges(rows)
    rows = _drop_margin_words(rows, left, right, notes)
    rows = _reading_order(_classify_columns(rows, left, right))
    paragraphs: list[Paragraph] = []
    prev: _Row | None = None
    for row in rows:
        if prev is not None and row.column == "full" and prev.column == "full" and not _starts_paragraph(
            prev, row, left, right
        ):
            _extend(paragraphs[-1], row)
        else:
            paragraphs.append(_paragraph(row, page.number))
        prev = row
    return paragraphs


def _drop_margin_words(rows: list[_Row], left: int, right: int, notes: list[Annotation]) -> list[_Row]:
    """Words wholly in the page margins are pen notes (print keeps to the text block).

    The text block is where full lines run; a page with few of them gives no safe block.
    """
    full = [r for r in rows if r.bbox[2] - r.bbox[0] > 0.6 * (right - left)]
    if len(full) < 5:
        return rows
    # Not the extremes: a pen note Tesseract read into a line would stretch the block to the edge.
    lefts, rights = sorted(r.bbox[0] for r in full), sorted(r.bbox[2] for r in full)
    left, right = lefts[len(lefts) // 10], rights[-1 - len(rights) // 10]
    slack = 0.03 * (right - left)
    out = []
    for row in rows:
        inside = [w for w in row.words if w.bbox[2] > left - slack and w.bbox[0] < right + slack]
        if inside and _hangs_over(row, left, right, slack):
            inside = []  # a short line written across the edge of the print: a pen note
        outside = [w for w in row.words if w not in inside]
        if outside:
            notes.append(Annotation(kind="handwriting", text=" ".join(w.text for w in outside), page=row.page,
                                    bbox=union_box(w.bbox for w in outside)))
        if inside:
            out.append(_Row(inside, row.page) if outside else row)
    return out


def _hangs_over(row: _Row, left: int, right: int, slack: float) -> bool:
    """A short line that starts inside the text block and runs out over its edge.

    Print keeps to the block; a line starting mid-page and ending deep in the right margin (or the
    reverse) was written by hand, wherever Tesseract put its words. The header's right column may
    stand out of the body's block by a few millimetres: "deep" is four times the slack."""
    width = right - left
    x0, _, x1, _ = row.bbox
    return (x1 > right + 4 * slack and x0 > left + 0.4 * width) or (x0 < left - 4 * slack and x1 < left + 0.6 * width)


def _rows(page: Page, marks: list = ()) -> list[_Row]:
    """Visual lines of the page, split at wide gaps, noise tokens dropped, in top-to-bottom order."""
    rows = []
    for block in page.blocks:
        for line in block.lines:
            for w in line.words:
                w.text = _apply_ocr_fixes(w.text)
            words = [w for w in line.words if not is_junk(w)]
            if not words:
                continue
            height = statistics.median(w.bbox[3] - w.bbox[1] for w in words)
            start = 0
            for i in range(1, len(words) + 1):
                if i == len(words) or words[i].bbox[0] - words[i - 1].bbox[2] > 1.6 * height or motto_starts(words, i):
                    # Ink remains go after the split: the gap a dropped word leaves is no column gap.
                    kept = [w for w in words[start:i] if not ink_remains(w, marks)]
                    if kept:
                        rows.append(_Row(kept, page.number))
                    start = i
    rows = [r for r in rows if not _is_page_number(r, page) and not _is_unreadable(r)]
    rows.sort(key=lambda r: (r.bbox[1] + r.bbox[3]) / 2)
    return rows


def _is_unreadable(row: _Row) -> bool:
    """Short rows Tesseract barely recognised are pen marks or seal remains, not print, unless every
    word is a syllable of the language (see spelling.all_syllables)."""
    conf = [w.conf for w in row.words if w.conf >= 0]
    if bool(conf) and len(row.words) <= 3 and sum(conf) / len(conf) < 40:
        return not all_syllables([w.text for w in row.words])
    text = row.text
    return len(text) <= 3 and not any(c in VIET_LETTERS for c in text)  # "2/", "|." left by masked ink


def _is_page_number(row: _Row, page: Page) -> bool:
    return row.text.strip().isdigit() and page.height and row.bbox[3] < 0.08 * page.height


def _text_edges(rows: list[_Row]) -> tuple[int, int]:
    lefts = sorted(r.bbox[0] for r in rows)
    rights = sorted(r.bbox[2] for r in rows)
    return lefts[len(lefts) // 10], rights[len(rights) * 9 // 10]


def _classify_columns(rows: list[_Row], left: int, right: int) -> list[list[_Row]]:
    """Group rows by baseline and mark the two-column zones (header and signature blocks).

    A zone grows from rows that hold two segments over neighbouring narrow rows, but not over the
    short last line of a justified paragraph.
    """
    width = max(1, right - left)
    mid = (left + right) / 2
    groups: list[list[_Row]] = []
    for row in rows:
        if groups and abs(_mid_y(groups[-1][0]) - _mid_y(row)) < 0.5 * row.height:
            groups[-1].append(row)
        else:
            groups.append([row])
    groups = [_merge_same_side(g, mid) for g in groups]
    narrow = [all(r.bbox[2] - r.bbox[0] < 0.6 * width for r in g) for g in groups]
    in_zone = [len(g) > 1 and narrow[i] for i, g in enumerate(groups)]
    for order in (range(len(groups)), reversed(range(len(groups)))):
        prev = None
        for i in order:
            if prev is not None and in_zone[prev] and narrow[i] and not in_zone[i] and not _is_tail(groups, narrow, i):
                in_zone[i] = True
            prev = i
    for i, group in enumerate(groups):
        for row in group:
            x0, _, x1, _ = row.bbox
            centre = (x0 + x1) / 2
            if abs(centre - mid) < 0.08 * width and x0 > left + 0.1 * width:
                row.column = "center"
            elif in_zone[i]:
                row.column = "left" if centre < mid else "right"
            else:
                row.column = "full"
    return groups


def _merge_same_side(group: list[_Row], mid: float) -> list[_Row]:
    """Pieces of one line on the same side of the page are one line ("Số:" + "/KH-UBND" around a
    blank where the pen-written number was masked)."""
    if len(group) < 2:
        return group
    out: list[_Row] = []
    for row in sorted(group, key=lambda r: r.bbox[0]):
        prev = out[-1] if out else None
        if prev is not None and (sum(prev.bbox[::2]) / 2 < mid) == (sum(row.bbox[::2]) / 2 < mid):
            out[-1] = _Row(prev.words + row.words, row.page)
        else:
            out.append(row)
    return out


def _is_tail(groups: list[list[_Row]], narrow: list[bool], i: int) -> bool:
    """The short last line of a justified paragraph: the row above it spans the text width."""
    return (i > 0 and len(groups[i]) == 1 and not narrow[i - 1]
            and groups[i][0].bbox[0] <= groups[i - 1][0].bbox[0] + 5)


def _reading_order(groups: list[list[_Row]]) -> list[_Row]:
    """Rows top to bottom, but inside a two-column zone the left column is read first."""
    out: list[_Row] = []
    zone: list[_Row] = []

    def flush() -> None:
        for side in ("left", "right", "center"):
            out.extend(r for r in zone if r.column == side)
        zone.clear()

    for group in groups:
        group = sorted(group, key=lambda r: r.bbox[0])
        if any(r.column in ("left", "right") for r in group):
            zone.extend(group)
            continue
        flush()
        out.extend(group)
    flush()
    return out


def _mid_y(row: _Row) -> float:
    return (row.bbox[1] + row.bbox[3]) / 2


def _starts_paragraph(prev: _Row, row: _Row, left: int, right: int) -> bool:
    width = right - left
    text = row.text
    if STRUCTURE_START.match(text) or text.isupper() != prev.text.isupper():
        return True
    if row.bbox[0] > left + 0.035 * width:  # first-line indent (1-1.27 cm)
        return True
    if prev.bbox[2] < right - 0.06 * width and TERMINAL.search(prev.text):  # previous line ended short
        return True
    return row.bbox[1] - prev.bbox[3] > 1.2 * prev.height


def _paragraph(row: _Row, page: int) -> Paragraph:
    conf = [w.conf for w in row.words if w.conf >= 0]
    return Paragraph(
        text=normalize(row.text), page=page, bbox=row.bbox, conf=sum(conf) / len(conf) if conf else -1,
        centered=row.column == "center", column="full" if row.column == "center" else row.column,
    )


def _extend(paragraph: Paragraph, row: _Row) -> None:
    paragraph.text = normalize(f"{paragraph.text} {row.text}")
    if paragraph.bbox:
        b = paragraph.bbox
        paragraph.bbox = (min(b[0], row.bbox[0]), b[1], max(b[2], row.bbox[2]), max(b[3], row.bbox[3]))
    conf = [w.conf for w in row.words if w.conf >= 0]
    if conf and paragraph.conf >= 0:
        paragraph.conf = (paragraph.conf + sum(conf) / len(conf)) / 2


def _join_across_pages(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A body paragraph cut by a page break continues on the next page."""
    out: list[Paragraph] = []
    for p in paragraphs:
        prev = out[-1] if out else None
        if (prev and prev.page != p.page and prev.column == "full" and p.column == "full"
                and not p.centered and _continues(prev.text, p.text)):
            prev.text = f"{prev.text} {p.text}"
        else:
            out.append(p)
    return out
