"""The readable sequence of stages around one document, with timing and error wrapping."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from pipeline import clean, export, extract, ingest, ocr, preprocess, segment
from pipeline.config import Config, dump_toml
from pipeline.errors import NotADocumentError, PipelineError, StageError, WrongLanguageError
from pipeline.models import Document
from pipeline.review import render_review

log = logging.getLogger(__name__)

STAGES = [
    ("ingest", ingest.run, "ingest"),
    ("preprocess", preprocess.run, "preprocess"),
    ("ocr", ocr.run, "ocr"),
    ("clean", clean.run, "clean"),
    ("segment", segment.run, "segment"),
    ("extract", extract.run, "extract"),
]


def process_file(path: str | Path, cfg: Config, *, until: str | None = None,
                 resume_from: Document | None = None) -> Document:
    """Run the stages on one input and return the Document (outputs are written by ``write``).

    Raises:
        PipelineError: a typed error for bad input or a missing dependency; StageError wraps any
        other failure with the stage's name.
    """
    doc = resume_from or ingest.open_document(Path(path))
    for name, stage, section in STAGES:
        if name in doc.stages_done:
            continue
        started = time.perf_counter()
        try:
            doc = stage(doc, getattr(cfg, section))
        except PipelineError:
            raise
        except Exception as e:
            raise StageError(name, doc.doc_id, e) from e
        doc.timings[name] = round(time.perf_counter() - started, 3)
        doc.stages_done.append(name)
        if name == "clean":
            _check_content(doc)
        if name == until:
            break
    return doc


def _check_content(doc: Document) -> None:
    """Refuse photos and foreign documents before the Vietnamese-specific stages guess at them."""
    words = doc.text.split()
    letters = sum(1 for w in words if any(c.isalpha() for c in w))
    if letters < 20:
        raise NotADocumentError(f"{doc.source.path}: no readable text found ({letters} words); is it a document scan?")
    viet = sum(1 for w in words if any(c in _VIET for c in w.lower()))
    if viet / letters < 0.12:
        raise WrongLanguageError(
            f"{doc.source.path}: text does not look Vietnamese ({viet} of {letters} words have Vietnamese letters)"
        )


_VIET = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


def write(doc: Document, out_root: Path, cfg: Config) -> Path:
    """Write the document's outputs to ``out_root/<doc_id>/``."""
    started = time.perf_counter()
    extra = {"config.resolved.toml": dump_toml(cfg)}
    if "review" in cfg.export.formats:
        extra["review.html"] = render_review(doc, tuple(cfg.extract.agency_lists))
    out = export.write_outputs(doc, Path(out_root) / doc.doc_id, cfg.export, extra=extra)
    export.write_debug_images(doc, out / "debug")
    doc.timings["export"] = round(time.perf_counter() - started, 3)
    return out
