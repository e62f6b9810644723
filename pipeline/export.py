"""Export: document.json (the output contract) and flat CSVs for spreadsheets, written atomically.

Reads: the whole Document.
Writes: files under the output folder; nothing on the Document.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.config import ExportConfig
from pipeline.models import Document

CSV_COLUMNS = {
    "documents": ["doc_id", "source", "kind", "pages", "status", "document_type", "number", "symbol", "issuer_parent",
                  "issuer", "place", "date", "subject", "signer", "signer_name", "registration_number",
                  "registration_date", "n_sections", "n_agencies", "n_duties", "n_references", "n_issues"],
    "sections": ["doc_id", "section", "title", "item", "item_title", "n_clauses", "page"],
    "agencies": ["doc_id", "section", "item", "name", "canonical", "n_duties", "page"],
    "duties": ["doc_id", "section", "item", "agency", "canonical", "role", "text", "partners", "references",
               "deadline", "deadline_kind", "page", "confidence"],
    "references": ["doc_id", "raw", "type", "number", "year", "symbol", "issuer_code", "date"],
}


def contract(doc: Document) -> dict:
    """The JSON document downstream users rely on (docs/output-contract.md keys, plus extras)."""
    data = doc.model_dump(mode="json", exclude={"pages", "paragraphs", "stages_done", "status"})
    data = {"schema_version": data.pop("schema_version"), "doc_id": data.pop("doc_id"), "status": doc.status, **data}
    data["metadata"]["signer"] = data["metadata"].get("signer") or {"lines": [], "name": None}
    data["pages"] = [{"number": p.number, "width": p.width, "height": p.height, "dpi": p.dpi, "origin": p.origin,
                      "rotation": p.rotation, "skew_deg": p.skew_deg} for p in doc.pages]
    data["provenance"] = [{"text": p.text, "page": p.page, "bbox": p.bbox, "line_no": p.line_no,
                           "conf": round(p.conf, 1), "start": p.start, "end": p.end} for p in doc.paragraphs]
    return data


def tables(doc: Document) -> dict[str, pd.DataFrame]:
    m = doc.metadata
    reg = doc.registration
    rows = {
        "documents": [{
            "doc_id": doc.doc_id, "source": doc.source.path, "kind": doc.source.kind, "pages": doc.source.pages,
            "status": doc.status, "document_type": m.document_type, "number": m.number, "symbol": m.symbol,
            "issuer_parent": m.issuer_parent, "issuer": m.issuer, "place": m.place, "date": m.date,
            "subject": m.subject, "signer": " / ".join(m.signer.lines), "signer_name": m.signer.name,
            "registration_number": reg.number if reg else None, "registration_date": reg.date if reg else None,
            "n_sections": len(doc.sections), "n_agencies": len(doc.agencies),
            "n_duties": sum(len(a.duties) for a in doc.agencies), "n_references": len(doc.references),
            "n_issues": len(doc.issues),
        }],
        "sections": [{"doc_id": doc.doc_id, "section": s.number, "title": s.title, "item": i.number,
                      "item_title": i.title, "n_clauses": len(i.clauses), "page": i.page}
                     for s in doc.sections for i in (s.items or [None]) if i is not None]
        + [{"doc_id": doc.doc_id, "section": s.number, "title": s.title, "page": s.page}
           for s in doc.sections if not s.items],
        "agencies": [{"doc_id": doc.doc_id, "section": a.section, "item": a.item, "name": a.name,
                      "canonical": a.canonical, "n_duties": len(a.duties), "page": a.page} for a in doc.agencies],
        "duties": [{"doc_id": doc.doc_id, "section": a.section, "item": a.item, "agency": a.name,
                    "canonical": a.canonical, "role": d.role, "text": d.text, "partners": "; ".join(d.partners),
                    "references": "; ".join(r.raw for r in d.references),
                    "deadline": d.deadline.raw if d.deadline else None,
                    "deadline_kind": d.deadline.kind if d.deadline else None, "page": d.page,
                    "confidence": d.confidence} for a in doc.agencies for d in a.duties],
        "references": [{"doc_id": doc.doc_id, **r.model_dump()} for r in doc.references],
    }
    return {name: pd.DataFrame(rows[name], columns=cols) for name, cols in CSV_COLUMNS.items()}


def write_outputs(doc: Document, out_dir: Path, cfg: ExportConfig, extra: dict[str, str] | None = None) -> Path:
    """Write document.json and the CSVs into *out_dir*; every file appears whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if "json" in cfg.formats:
        _atomic_write(out_dir / "document.json",
                      json.dumps(contract(doc), ensure_ascii=False, indent=1).encode("utf-8"))
    if "csv" in cfg.formats:
        for name, frame in tables(doc).items():
            # UTF-8 with BOM: Excel opens it with every Vietnamese diacritic intact.
            _atomic_write(out_dir / f"{name}.csv", frame.to_csv(index=False).encode("utf-8-sig"))
    for name, text in (extra or {}).items():
        _atomic_write(out_dir / name, text.encode("utf-8"))
    return out_dir


def write_debug_images(doc: Document, folder: Path) -> None:
    """Page images as OCR saw them, masked marks outlined (written only with preprocess.debug)."""
    import cv2

    pictures = [(p.number, p.debug_image) for p in doc.pages if p.debug_image is not None]
    if not pictures:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for number, picture in pictures:
        ok, png = cv2.imencode(".png", picture)
        if ok:
            _atomic_write(folder / f"page-{number:03d}.png", png.tobytes())


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; results are for everyone who may read the folder
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
