"""Segment: header fields, preamble, sections, items, bullets, the closing block, and the registration.

Reads: Document.paragraphs, Document.annotations (pen figures in the header's blanks; the "ĐẾN"
stamp's text and the readings of its figures).
Writes: Document.metadata, registration, preamble, sections, postamble; Document.body_start/body_end.
"""

from __future__ import annotations

from pipeline.config import Config
from pipeline.lang.lists import load_lists
from pipeline.models import Document
from pipeline.segment.body import BodyParser
from pipeline.segment.closing import find_closing, parse_closing
from pipeline.segment.header import fill_by_hand, fill_from_fields, parse_header, printed_year
from pipeline.segment.registration import read_registration

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ("metadata", "registration", "preamble", "sections", "postamble", "body_start", "body_end")


def run(doc: Document, cfg: Config) -> Document:
    """Split the paragraphs into header, body and closing, and structure the body."""
    lists = load_lists(cfg.lists)
    paragraphs = doc.paragraphs
    notes: list[str] = []
    where: dict = {}
    meta, body_start = parse_header(paragraphs, lists, notes, where)
    notes.extend(fill_from_fields(meta, where, doc.annotations))
    notes.extend(fill_by_hand(meta, where, doc.annotations))
    doc.registration, checked = read_registration(doc.annotations, doc.source.kind == "text", meta.date,
                                                  printed_year(where))
    notes.extend(checked)
    for note in notes:
        doc.warn("segment", note)
    closing_at = find_closing(paragraphs, body_start, lists)
    parse_closing(paragraphs[closing_at:], meta, lists)
    doc.metadata = meta
    parser = BodyParser(lists)
    for index in range(body_start, closing_at):
        parser.feed(index, paragraphs[index])
    parser.split_postamble(paragraphs)
    doc.preamble = [paragraphs[i].text for i in parser.preamble]
    doc.sections = parser.sections
    doc.postamble = [paragraphs[i].text for i in parser.postamble]
    if body_start < closing_at:
        doc.body_start, doc.body_end = paragraphs[body_start].start, paragraphs[closing_at - 1].end
    for field, label in (
        ("issuer", "issuer"),
        ("number", "number"),
        ("date", "date"),
        ("document_type", "type"),
    ):
        if getattr(meta, field) is None:
            doc.warn("segment", f"header field '{label}' not found")
    if not doc.sections:
        doc.warn("segment", "no sections or numbered items found in the body")
    return doc
