"""Extract: agencies of the duty-assignment part with their duty clauses; references; deadlines.

Reads: Document.sections (with their clause paragraphs' indexes), Document.paragraphs, Document.text.
Writes: Document.agencies, Document.references.
"""

from __future__ import annotations

from pipeline.config import Config
from pipeline.extract.agencies import assignment, canonical, repair_spelling, role
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
    with_agencies = [s for s in titled if any(_assignee(i, lists) for i in _walk(s.items))]
    return with_agencies or sections


def _walk(items: list[Item]):
    for item in items:
        yield item
        yield from _walk(item.items)


def _assignee(item: Item, lists: Lists) -> tuple[str, str | None] | None:
    """(agency, first duty) of an item whose heading names an agency ("1. Sở Tài chính:", "1. Sở Tài
    chính chủ trì, phối hợp ...:") or whose first sentence gives one work ("1. Sở Y tế có trách nhiệm
    công khai ...", printed without a heading)."""
    if item.title:
        return assignment(item.title, lists, heading=True)
    if not item.clauses:
        return None
    first = item.clauses[0]
    found = assignment(first, lists)
    if found and found[1]:
        return found
    if first.rstrip().endswith(":"):  # a heading too long to be read as one ("7. Các doanh nghiệp ... Tỉnh:")
        found = assignment(first, lists, heading=True)
        return (found[0], "") if found else None
    return None


def _sub_path(path: str, number: str) -> str:
    """An item's path: its parent's and its own number ("5" and "a": "5.a"); a number printed whole
    ("1.1" under "1") stands as printed."""
    return number if number.startswith(f"{path}.") else f"{path}.{number}"


def _label(item: Item) -> str:
    """A sub-item's label as printed: "a)" for a letter, "1.1." for a number."""
    return f"{item.number})" if item.number.isalpha() else f"{item.number}."


def _collect(doc: Document, section: Section, item: Item, path: str, lists: Lists, notes: list[str]) -> None:
    found = _assignee(item, lists)
    if found is None:
        _collect_sentences(doc, section, item, path, lists, notes)
        for sub in item.items:
            _collect(doc, section, sub, _sub_path(path, sub.number), lists, notes)
        return
    name, first_duty = found
    gaz: Gazetteer = lists.gazetteer
    name = repair_spelling(name, gaz)
    canon = canonical(name, gaz)
    agency = Agency(name=name, canonical=canon, section=section.number, item=path, page=item.page)
    clause_paragraphs = [doc.paragraphs[i] for i in item.clause_paragraphs]
    texts = list(item.clauses)
    if first_duty is not None and not item.title:  # the first sentence named the agency: the rest is the duty
        texts[0] = first_duty
    clauses = [(t, p) for t, p in zip(texts, clause_paragraphs, strict=False) if t]
    if first_duty and item.title:  # the heading named the agency and its first duty
        clauses.insert(0, (first_duty, _heading_paragraph(doc, item)))
    # Under an agency, a) b) are more of its duties (labels as printed), unless one names an agency of
    # its own ("5. Trách nhiệm của các cơ quan liên quan: a) Sở Xây dựng: ..."): that is an agency too,
    # and the heading a group of them that is none itself when it has no duty of its own.
    named = [sub for sub in item.items if _assignee(sub, lists)]
    own = [sub for sub in item.items if sub not in named]
    for sub in own:
        label = f"{_label(sub)} {sub.title}".strip()
        if sub.clauses:
            paragraphs = [doc.paragraphs[i] for i in sub.clause_paragraphs]
            clauses.extend(zip([f"{label} {c}" for c in sub.clauses], paragraphs, strict=True))
        elif sub.title:  # a heading alone ("a) Bố trí kinh phí thực hiện;")
            clauses.append((label, _heading_paragraph(doc, sub)))
        named += [deeper for deeper in sub.items if _assignee(deeper, lists)]
    agency.duties = [_duty(text, para, agency, lists, notes) for text, para in clauses if para is not None]
    if agency.duties or not named:
        doc.agencies.append(agency)
    for sub in named:
        _collect(doc, section, sub, _sub_path(path, sub.number), lists, notes)


def _collect_sentences(doc: Document, section: Section, item: Item, path: str, lists: Lists,
                       notes: list[str]) -> None:
    """Assignments in the running text of an item that names no agency ("1. Về kiến nghị ...:" / "Giao
    Bộ Tài chính khẩn trương ..."): each paragraph that opens by giving an agency work starts one,
    the paragraphs after it that give none are more of its duties."""
    agency = None
    for text, index in zip(item.clauses, item.clause_paragraphs, strict=False):
        found = assignment(text, lists)
        if found and found[1]:
            name = repair_spelling(found[0], lists.gazetteer)
            agency = Agency(name=name, canonical=canonical(name, lists.gazetteer), section=section.number,
                            item=path, page=doc.paragraphs[index].page)
            doc.agencies.append(agency)
            text = found[1]
        if agency is not None:
            agency.duties.append(_duty(text, doc.paragraphs[index], agency, lists, notes))


def _duty(text: str, para, agency: Agency, lists: Lists, notes: list[str]) -> Duty:
    listed = agency.canonical != agency.name or lists.gazetteer.lookup(agency.name) is not None
    return Duty(text=text, role=role(text, lists), references=find_references(text),
                deadline=find_deadline(text, notes), page=para.page, line_no=para.line_no, bbox=para.bbox,
                confidence=_confidence(para.conf, listed))


def _heading_paragraph(doc: Document, item: Item):
    """The paragraph an item's heading stands in (found by its offsets), or None."""
    return next((p for p in doc.paragraphs if p.start <= item.start < p.end + 1), None)


def _confidence(ocr_conf: float, known_agency: bool) -> float:
    """OCR certainty of the clause times how sure we are of the agency (listed names are surer)."""
    base = 0.95 if ocr_conf < 0 else max(0.0, min(1.0, ocr_conf / 100))
    return round(base * (1.0 if known_agency else 0.85), 3)
