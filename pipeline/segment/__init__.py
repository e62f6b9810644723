"""Segment: header fields, preamble, sections, items, bullets and the closing block.

Reads: Document.paragraphs.
Writes: Document.metadata, preamble, sections, postamble; Document.body_start/body_end offsets.
"""

from __future__ import annotations

from pipeline.config import SegmentConfig
from pipeline.models import Document
from pipeline.segment.body import BodyParser
from pipeline.segment.closing import find_closing, parse_closing
from pipeline.segment.header import fill_by_hand, parse_header, printed_year
from pipeline.stamp import check_against_document, figure_notes


def run(doc: Document, cfg: SegmentConfig) -> Document:
    """Split the paragraphs into header, body and closing, and structure the body."""
    paragraphs = doc.paragraphs
    notes: list[str] = []
    where: dict = {}
    meta, body_start = parse_header(paragraphs, cfg.lists_dir, notes, where)
    notes.extend(fill_by_hand(meta, where, doc.annotations))
    if doc.registration is not None:
        checked = check_against_document(doc.registration, meta.date, printed_year(where))
        notes.extend(checked + figure_notes(doc.registration, checked))
    for note in notes:
        doc.warn("segment", note)
    closing_at = find_closing(paragraphs, body_start)
    parse_closing(paragraphs[closing_at:], meta)
    doc.metadata = meta
    parser = BodyParser()
    for index in range(body_start, closing_at):
        parser.feed(index, paragraphs[index])
    parser.split_postamble(paragraphs)
    doc.preamble = [paragraphs[i].text for i in parser.preamble]
    doc.sections = parser.sections
    doc.postamble = [paragraphs[i].text for i in parser.postamble]
    if body_start < closing_at:
        doc.body_start, doc.body_end = paragraphs[body_start].start, paragraphs[closing_at - 1].end
    for field, label in (("issuer", "issuer"), ("number", "number"), ("date", "date"), ("document_type", "type")):
        if getattr(meta, field) is None:
            doc.warn("segment", f"header field '{label}' not found")
    if not doc.sections:
        doc.warn("segment", "no sections or numbered items found in the body")
    return doc
