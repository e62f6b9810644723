"""Clean: turn OCR lines into paragraphs in reading order, NFC, with page and box provenance.

Reads: Page.blocks (OCR, text layer, or a text file's lines), Document.annotations (the marks OCR
read, whose words are no body text).
Writes: Document.paragraphs (one per logical paragraph; header and closing lines one each),
Document.text (paragraphs joined by newlines), Paragraph.start/end offsets into it. Appends to
Document.annotations the handwriting found in the text: words in a scan's margins, and in an OCR
text file the "ĐẾN" stamp's lines and the pen notes its markup shows.
"""

from __future__ import annotations

from pipeline.clean import textmarks
from pipeline.clean.layout import join_across_pages, page_paragraphs
from pipeline.clean.text import MARKUP, continues, normalizer
from pipeline.config import Config
from pipeline.lang.lists import load_lists
from pipeline.lang.syllables import mend
from pipeline.models import Document, Paragraph

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ("paragraphs", "text")
APPENDS = ("annotations",)  # lists it adds entries to, leaving those it found as they were


def run(doc: Document, cfg: Config) -> Document:
    """Build paragraphs and the text of the document."""
    normalize = normalizer(load_lists(cfg.lists))
    if doc.source.kind == "text":
        paragraphs = _text_lines(doc)
        if cfg.clean.separate_marks:
            paragraphs = _separate_marks(doc, paragraphs)
        paragraphs = [p.model_copy(update={"text": normalize(MARKUP.sub("", p.text))}) for p in paragraphs]
        if cfg.clean.join_broken_lines:
            paragraphs = _join_text_lines(paragraphs)
    else:
        paragraphs = []
        for page in doc.pages:
            paragraphs.extend(page_paragraphs(page, doc.annotations, normalize))
        if cfg.clean.join_broken_lines:
            paragraphs = join_across_pages(paragraphs)
    if cfg.clean.mend_syllables:
        for p in paragraphs:
            p.text = mend(p.text)
    _set_offsets(doc, [p for p in paragraphs if p.text])
    return doc


def _text_lines(doc: Document) -> list[Paragraph]:
    """A text file's lines, one paragraph each, as ingest read them."""
    return [Paragraph(text=line.text, page=page.number, line_no=line.line_no)
            for page in doc.pages for block in page.blocks for line in block.lines]


def _separate_marks(doc: Document, lines: list[Paragraph]) -> list[Paragraph]:
    """Stamp and pen notes out of an OCR text file (see textmarks)."""
    body, marks = textmarks.separate(lines)
    doc.annotations.extend(marks.annotations)
    for p in body:
        p.handwritten = marks.handwritten.get(p.line_no, [])
    for note in marks.notes:
        doc.warn("clean", note)
    return body


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
        if prev and continues(prev.text, p.text):
            prev.text = f"{prev.text} {p.text}"
        else:
            out.append(p)
    return out
