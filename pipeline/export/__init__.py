"""Export: document.json (the whole Document: docs/output-contract.md, docs/document.schema.json),
flat CSVs for spreadsheets, review.html, config.resolved.toml and, with ``preprocess.debug``, the
page pictures OCR saw with the masked marks outlined; each file written atomically.

Reads: the whole Document, and the debug pictures of the work state when there are any.
Writes: files under ``<export.outdir>/<doc_id>/``; nothing on the Document.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Config, dump_toml
from pipeline.export.files import atomic_write
from pipeline.export.review import render_review
from pipeline.export.tables import CSV_COLUMNS, tables
from pipeline.lang.lists import load_lists
from pipeline.models import Document
from pipeline.work import work_of

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ()

__all__ = ["run", "output_folder", "CSV_COLUMNS", "tables", "document_json"]


def output_folder(doc: Document, cfg: Config) -> Path:
    return Path(cfg.export.outdir) / doc.doc_id


def document_json(doc: Document) -> str:
    """document.json's text: ``Document.model_validate_json`` loads it back into an equal Document."""
    return doc.model_dump_json(indent=1)


def run(doc: Document, cfg: Config) -> Document:
    """Write the document's outputs to ``<export.outdir>/<doc_id>/``."""
    out = output_folder(doc, cfg)
    out.mkdir(parents=True, exist_ok=True)
    formats = cfg.export.formats
    if "json" in formats:
        atomic_write(out / "document.json", document_json(doc).encode("utf-8"))
    if "csv" in formats:
        for name, frame in tables(doc).items():
            # UTF-8 with BOM: Excel opens it with every Vietnamese diacritic intact.
            atomic_write(out / f"{name}.csv", frame.to_csv(index=False).encode("utf-8-sig"))
    if "review" in formats:
        atomic_write(out / "review.html", render_review(doc, load_lists(cfg.lists).gazetteer).encode("utf-8"))
    atomic_write(out / "config.resolved.toml", dump_toml(cfg).encode("utf-8"))
    _write_debug_pictures(doc, out / "debug")
    return doc


def _write_debug_pictures(doc: Document, folder: Path) -> None:
    """Page pictures as OCR saw them, masked marks outlined (there are some only with preprocess.debug)."""
    import cv2

    work = work_of(doc)
    pictures = sorted(work.debug_pictures.items()) if work else []
    if not pictures:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for number, picture in pictures:
        ok, png = cv2.imencode(".png", picture)
        if ok:
            atomic_write(folder / f"page-{number:03d}.png", png.tobytes())
