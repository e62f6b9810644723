"""Extract: agencies of the duty-assignment part with their duty clauses; references; deadlines.

Reads: Document.sections (with their clause paragraphs' indexes), Document.paragraphs, Document.text.
Writes: Document.agencies, Document.references.
"""

from __future__ import annotations

from pipeline.config import Config
from pipeline.extract.agencies import agency_name, canonical, repair_spelling, role
from pipeline.extract.matcher import AgencyMatcher
from pipeline.extract.references import find_deadline, find_references
from pipeline.lang.letters import fold
from pipeline.lang.lists import Gazetteer, Lists, load_lists
from pipeline.models import Agency, Document, Duty, Item, Section

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ("agencies", "references")


def run(doc: Document, cfg: Config) -> Document:
    """Fill agencies (in document order) and every legal reference of the text."""
    lists = load_lists(cfg.lists)
    gaz = lists.gazetteer
    doc.agencies = []
    notes: list[str] = []
    for section in _duty_sections(doc.sections, lists):
        for item in section.items:
            _collect(doc, section, item, item.number, lists, notes)
    if not doc.agencies and doc.sections:
        doc.warn("extract", "no agency headings found in the duty-assignment part")
    # Partners: the listed agencies and this document's own headings, wherever a clause names them.
    matcher = AgencyMatcher(gaz, {a.name: a.canonical for a in doc.agencies})
    for agency in doc.agencies:
        for duty in agency.duties:
            duty.partners = matcher.partners(duty.text, agency.canonical)
    doc.references = find_references(doc.text, notes)
    for note in dict.fromkeys(notes):
        doc.warn("extract", note)
    return doc


def _duty_sections(sections: list[Section], lists: Lists) -> list[Section]:
    """Sections titled as assigning duties when there are such; otherwise every section."""
    keys = [fold(k) for k in lists.patterns["body"]["duty_sections"]]
    titled = [s for s in sections if any(k in fold(s.title) for k in keys)]
    with_agencies = [s for s in titled if any(agency_name(i.title, lists) for i in _walk(s.items))]
    return with_agencies or sections


def _walk(items: list[Item]):
    for item in items:
        yield item
        yield from _walk(item.items)


def _collect(doc: Document, section: Section, item: Item, path: str, lists: Lists, notes: list[str]) -> None:
    name = agency_name(item.title, lists)
    if name is None:
        for sub in item.items:
            _collect(doc, section, sub, f"{path}.{sub.number}", lists, notes)
        return
    gaz: Gazetteer = lists.gazetteer
    name = repair_spelling(name, gaz)
    canon = canonical(name, gaz)
    agency = Agency(name=name, canonical=canon, section=section.number, item=path, page=item.page)
    clause_paragraphs = [doc.paragraphs[i] for i in item.clause_paragraphs]
    clauses = list(zip(item.clauses, clause_paragraphs, strict=False))
    for sub in item.items:  # a) b) under an agency are more of its duties
        clauses.extend(
            zip(
                [f"{sub.title} {c}".strip() if sub.title else c for c in sub.clauses or [sub.title]],
                [doc.paragraphs[i] for i in sub.clause_paragraphs] or clause_paragraphs[-1:],
                strict=False,
            )
        )
    for text, para in clauses:
        agency.duties.append(Duty(
            text=text, role=role(text, lists), references=find_references(text),
            deadline=find_deadline(text, notes), page=para.page, line_no=para.line_no, bbox=para.bbox,
            confidence=_confidence(para.conf, canon != name or gaz.lookup(name) is not None),
        ))
    doc.agencies.append(agency)


def _confidence(ocr_conf: float, known_agency: bool) -> float:
    """OCR certainty of the clause times how sure we are of the agency (listed names are surer)."""
    base = 0.95 if ocr_conf < 0 else max(0.0, min(1.0, ocr_conf / 100))
    return round(base * (1.0 if known_agency else 0.85), 3)
