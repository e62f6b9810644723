"""Flat tables of a Document for spreadsheets and databases (documents, sections, agencies, duties,
references), with a fixed column order."""

from __future__ import annotations

import pandas as pd

from pipeline.models import Document

CSV_COLUMNS = {
    "documents": [
        "doc_id",
        "source",
        "kind",
        "pages",
        "status",
        "document_type",
        "number",
        "symbol",
        "issuer_parent",
        "issuer",
        "place",
        "date",
        "subject",
        "signer",
        "signer_name",
        "registration_number",
        "registration_date",
        "n_sections",
        "n_agencies",
        "n_duties",
        "n_references",
        "n_issues",
    ],
    "sections": ["doc_id", "section", "title", "item", "item_title", "n_clauses", "page"],
    "agencies": ["doc_id", "section", "item", "name", "canonical", "n_duties", "page"],
    "duties": [
        "doc_id",
        "section",
        "item",
        "agency",
        "canonical",
        "role",
        "text",
        "partners",
        "references",
        "deadline",
        "deadline_kind",
        "page",
        "confidence",
    ],
    "references": ["doc_id", "raw", "type", "number", "year", "symbol", "issuer_code", "date"],
}
def tables(doc: Document) -> dict[str, pd.DataFrame]:
    m = doc.metadata
    reg = doc.registration
    rows = {
        "documents": [
            {
                "doc_id": doc.doc_id,
                "source": doc.source.path,
                "kind": doc.source.kind,
                "pages": doc.source.pages,
                "status": doc.status,
                "document_type": m.document_type,
                "number": m.number,
                "symbol": m.symbol,
                "issuer_parent": m.issuer_parent,
                "issuer": m.issuer,
                "place": m.place,
                "date": m.date,
                "subject": m.subject,
                "signer": " / ".join(m.signer.lines),
                "signer_name": m.signer.name,
                "registration_number": reg.number if reg else None,
                "registration_date": reg.date if reg else None,
                "n_sections": len(doc.sections),
                "n_agencies": len(doc.agencies),
                "n_duties": sum(len(a.duties) for a in doc.agencies),
                "n_references": len(doc.references),
                "n_issues": len(doc.issues),
            }
        ],
        "sections": [
            {
                "doc_id": doc.doc_id,
                "section": s.number,
                "title": s.title,
                "item": i.number,
                "item_title": i.title,
                "n_clauses": len(i.clauses),
                "page": i.page,
            }
            for s in doc.sections
            for i in (s.items or [None])
            if i is not None
        ]
        + [
            {"doc_id": doc.doc_id, "section": s.number, "title": s.title, "page": s.page}
            for s in doc.sections
            if not s.items
        ],
        "agencies": [
            {
                "doc_id": doc.doc_id,
                "section": a.section,
                "item": a.item,
                "name": a.name,
                "canonical": a.canonical,
                "n_duties": len(a.duties),
                "page": a.page,
            }
            for a in doc.agencies
        ],
        "duties": [
            {
                "doc_id": doc.doc_id,
                "section": a.section,
                "item": a.item,
                "agency": a.name,
                "canonical": a.canonical,
                "role": d.role,
                "text": d.text,
                "partners": "; ".join(d.partners),
                "references": "; ".join(r.raw for r in d.references),
                "deadline": d.deadline.raw if d.deadline else None,
                "deadline_kind": d.deadline.kind if d.deadline else None,
                "page": d.page,
                "confidence": d.confidence,
            }
            for a in doc.agencies
            for d in a.duties
        ],
        "references": [{"doc_id": doc.doc_id, **r.model_dump()} for r in doc.references],
    }
    return {name: pd.DataFrame(rows[name], columns=cols) for name, cols in CSV_COLUMNS.items()}


