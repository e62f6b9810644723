"""A scanned page's words into paragraphs in reading order.

Nghị định 30 pages are single-column bodies framed by two-column blocks (issuer | motto at the top,
"Nơi nhận" | signer at the bottom). Tesseract often reads such a row as one line, so lines are split
at wide gaps and two-column zones are read left column first.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from pipeline.clean.debris import ink_remains, is_junk, motto_starts, stamp_words
from pipeline.clean.text import STRUCTURE_START, TERMINAL, Normalizer, continues
from pipeline.geometry import union_box
from pipeline.lang.letters import VIET_LETTERS
from pipeline.lang.syllables import all_syllables
from pipeline.models import Annotation, BBox, Page, Paragraph, Word

COLUMN_GAP_HEIGHTS = 1.6  # a gap between words wider than this many word heights parts two columns
FULL_LINE_SHARE = 0.6  # a line this share of the text width is a full line (narrower: a column's)
MARGIN_SLACK = 0.03  # print may stand this share of the text width out of its block
PAGE_NUMBER_SHARE = 0.08  # a page number is a figure alone in this top share of the page
UNSURE_ROW_WORDS, UNSURE_ROW_CONF = 3, 40  # a row this short read this unsure is a pen mark or seal remains
CENTRE_SHARE = 0.08  # a row centred within this share of the width, indented, is centred (a title)
INDENT_SHARE = 0.035  # a first-line indent (1-1.27 cm) of the text width
SHORT_END_SHARE = 0.06  # a line ending this share short of the right edge ended its paragraph
PARAGRAPH_GAP_HEIGHTS = 1.2  # a gap of more line heights than this between lines parts paragraphs


@dataclass
class Row:
    """One visual line (or one column's part of it) on a page."""

    words: list[Word]
    page: int
    column: str = "full"
    bbox: BBox = (0, 0, 0, 0)
    parts: list[Row] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.words:
            self.bbox = union_box(w.bbox for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> int:
        return max(1, self.bbox[3] - self.bbox[1])


def page_paragraphs(page: Page, annotations: list[Annotation], normalize: Normalizer) -> list[Paragraph]:
    """The page's paragraphs; words in its margins become handwriting appended to *annotations*."""
    marks = [(m.bbox, stamp_words(m)) for m in annotations
             if m.page == page.number and m.bbox and m.kind in ("stamp", "handwriting")]
    rows = _rows(page, marks, normalize)
    if not rows:
        return []
    left, right = _text_edges(rows)
    rows = _drop_margin_words(rows, left, right, annotations)
    rows = _reading_order(_classify_columns(rows, left, right))
    paragraphs: list[Paragraph] = []
    prev: Row | None = None
    for row in rows:
        if prev is not None and row.column == "full" and prev.column == "full" and not _starts_paragraph(
            prev, row, left, right
        ):
            _extend(paragraphs[-1], row, normalize)
        else:
            paragraphs.append(_paragraph(row, page.number, normalize))
        prev = row
    return paragraphs


def _drop_margin_words(rows: list[Row], left: int, right: int, notes: list[Annotation]) -> list[Row]:
    """Words wholly in the page margins are pen notes (print keeps to the text block).

    The text block is where full lines run; a page with few of them gives no safe block.
    """
    full = [r for r in rows if r.bbox[2] - r.bbox[0] > FULL_LINE_SHARE * (right - left)]
    if len(full) < 5:
        return rows
    # Not the extremes: a pen note Tesseract read into a line would stretch the block to the edge.
    lefts, rights = sorted(r.bbox[0] for r in full), sorted(r.bbox[2] for r in full)
    left, right = lefts[len(lefts) // 10], rights[-1 - len(rights) // 10]
    slack = MARGIN_SLACK * (right - left)
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
            out.append(Row(inside, row.page) if outside else row)
    return out


def _hangs_over(row: Row, left: int, right: int, slack: float) -> bool:
    """A short line that starts inside the text block and runs out over its edge.

    Print keeps to the block; a line starting mid-page and ending deep in the right margin (or the
    reverse) was written by hand, wherever Tesseract put its words. The header's right column may
    stand out of the body's block by a few millimetres: "deep" is four times the slack."""
    width = right - left
    x0, _, x1, _ = row.bbox
    return (x1 > right + 4 * slack and x0 > left + 0.4 * width) or (
        x0 < left - 4 * slack and x1 < left + 0.6 * width
    )


def _rows(page: Page, marks: list, normalize: Normalizer) -> list[Row]:
    """Visual lines of the page, split at wide gaps, noise tokens dropped, in top-to-bottom order."""
    rows = []
    for block in page.blocks:
        for line in block.lines:
            fixed = [w.model_copy(update={"text": t}) if (t := normalize.fix(w.text)) != w.text else w
                     for w in line.words]
            words = [w for w in fixed if not is_junk(w)]
            if not words:
                continue
            height = statistics.median(w.bbox[3] - w.bbox[1] for w in words)
            start = 0
            for i in range(1, len(words) + 1):
                if (i == len(words) or words[i].bbox[0] - words[i - 1].bbox[2] > COLUMN_GAP_HEIGHTS * height
                        or motto_starts(words, i)):
                    # Ink remains go after the split: the gap a dropped word leaves is no column gap.
                    kept = [w for w in words[start:i] if not ink_remains(w, marks)]
                    if kept:
                        rows.append(Row(kept, page.number))
                    start = i
    rows = [r for r in rows if not _is_page_number(r, page) and not _is_unreadable(r)]
    rows.sort(key=lambda r: (r.bbox[1] + r.bbox[3]) / 2)
    return rows


def _is_unreadable(row: Row) -> bool:
    """Short rows Tesseract barely recognised are pen marks or seal remains, not print, unless every
    word is a syllable of the language (see syllables.all_syllables)."""
    conf = [w.conf for w in row.words if w.conf >= 0]
    if bool(conf) and len(row.words) <= UNSURE_ROW_WORDS and sum(conf) / len(conf) < UNSURE_ROW_CONF:
        return not all_syllables([w.text for w in row.words])
    text = row.text
    return len(text) <= 3 and not any(c in VIET_LETTERS for c in text)  # "2/", "|." left by masked ink


def _is_page_number(row: Row, page: Page) -> bool:
    return row.text.strip().isdigit() and page.height and row.bbox[3] < PAGE_NUMBER_SHARE * page.height


def _text_edges(rows: list[Row]) -> tuple[int, int]:
    lefts = sorted(r.bbox[0] for r in rows)
    rights = sorted(r.bbox[2] for r in rows)
    return lefts[len(lefts) // 10], rights[len(rights) * 9 // 10]


def _classify_columns(rows: list[Row], left: int, right: int) -> list[list[Row]]:
    """Group rows by baseline and mark the two-column zones (header and signature blocks).

    A zone grows from rows that hold two segments over neighbouring narrow rows, but not over the
    short last line of a justified paragraph.
    """
    width = max(1, right - left)
    mid = (left + right) / 2
    groups: list[list[Row]] = []
    for row in rows:
        if groups and abs(_mid_y(groups[-1][0]) - _mid_y(row)) < 0.5 * row.height:
            groups[-1].append(row)
        else:
            groups.append([row])
    groups = [_merge_same_side(g, mid) for g in groups]
    narrow = [all(r.bbox[2] - r.bbox[0] < FULL_LINE_SHARE * width for r in g) for g in groups]
    in_zone = [len(g) > 1 and narrow[i] for i, g in enumerate(groups)]
    for order in (range(len(groups)), reversed(range(len(groups)))):
        prev = None
        for i in order:
            if (
                prev is not None
                and in_zone[prev]
                and narrow[i]
                and not in_zone[i]
                and not _is_tail(groups, narrow, i)
            ):
                in_zone[i] = True
            prev = i
    for i, group in enumerate(groups):
        for row in group:
            x0, _, x1, _ = row.bbox
            centre = (x0 + x1) / 2
            if abs(centre - mid) < CENTRE_SHARE * width and x0 > left + 0.1 * width:
                row.column = "center"
            elif in_zone[i]:
                row.column = "left" if centre < mid else "right"
            else:
                row.column = "full"
    return groups


def _merge_same_side(group: list[Row], mid: float) -> list[Row]:
    """Pieces of one line on the same side of the page are one line ("Số:" + "/KH-UBND" around a
    blank where the pen-written number was masked)."""
    if len(group) < 2:
        return group
    out: list[Row] = []
    for row in sorted(group, key=lambda r: r.bbox[0]):
        prev = out[-1] if out else None
        if prev is not None and (sum(prev.bbox[::2]) / 2 < mid) == (sum(row.bbox[::2]) / 2 < mid):
            out[-1] = Row(prev.words + row.words, row.page)
        else:
            out.append(row)
    return out


def _is_tail(groups: list[list[Row]], narrow: list[bool], i: int) -> bool:
    """The short last line of a justified paragraph: the row above it spans the text width."""
    return (i > 0 and len(groups[i]) == 1 and not narrow[i - 1]
            and groups[i][0].bbox[0] <= groups[i - 1][0].bbox[0] + 5)


def _reading_order(groups: list[list[Row]]) -> list[Row]:
    """Rows top to bottom, but inside a two-column zone the left column is read first."""
    out: list[Row] = []
    zone: list[Row] = []

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


def _mid_y(row: Row) -> float:
    return (row.bbox[1] + row.bbox[3]) / 2


def _starts_paragraph(prev: Row, row: Row, left: int, right: int) -> bool:
    width = right - left
    text = row.text
    if STRUCTURE_START.match(text) or text.isupper() != prev.text.isupper():
        return True
    if row.bbox[0] > left + INDENT_SHARE * width:
        return True
    if prev.bbox[2] < right - SHORT_END_SHARE * width and TERMINAL.search(prev.text):
        return True
    return row.bbox[1] - prev.bbox[3] > PARAGRAPH_GAP_HEIGHTS * prev.height


def _paragraph(row: Row, page: int, normalize: Normalizer) -> Paragraph:
    conf = [w.conf for w in row.words if w.conf >= 0]
    return Paragraph(
        text=normalize(row.text), page=page, bbox=row.bbox, conf=sum(conf) / len(conf) if conf else -1,
        centered=row.column == "center", column="full" if row.column == "center" else row.column,
    )


def _extend(paragraph: Paragraph, row: Row, normalize: Normalizer) -> None:
    paragraph.text = normalize(f"{paragraph.text} {row.text}")
    if paragraph.bbox:
        b = paragraph.bbox
        paragraph.bbox = (min(b[0], row.bbox[0]), b[1], max(b[2], row.bbox[2]), max(b[3], row.bbox[3]))
    conf = [w.conf for w in row.words if w.conf >= 0]
    if conf and paragraph.conf >= 0:
        paragraph.conf = (paragraph.conf + sum(conf) / len(conf)) / 2


def join_across_pages(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A body paragraph cut by a page break continues on the next page."""
    out: list[Paragraph] = []
    for p in paragraphs:
        prev = out[-1] if out else None
        if (prev and prev.page != p.page and prev.column == "full" and p.column == "full"
                and not p.centered and continues(prev.text, p.text)):
            prev.text = f"{prev.text} {p.text}"
        else:
            out.append(p)
    return out
