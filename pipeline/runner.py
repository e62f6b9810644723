"""The readable sequence of stages around one document, with timing and error wrapping."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from pipeline import check, clean, export, extract, ingest, ocr, preprocess, segment
from pipeline.config import Config
from pipeline.errors import PipelineError, ResumeError, StageError
from pipeline.models import Document
from pipeline.work import release, work_of

log = logging.getLogger(__name__)

# Each stage is a plain callable: run(doc, cfg) -> doc. The order is the pipeline.
STAGES = [
    ("ingest", ingest.run),
    ("preprocess", preprocess.run),
    ("ocr", ocr.run),
    ("clean", clean.run),
    ("check", check.run),
    ("segment", segment.run),
    ("extract", extract.run),
    ("export", export.run),
]
STAGE_NAMES = [name for name, _ in STAGES]
# These read the page pictures, which live in memory only: a Document loaded from JSON resumes after them.
NEEDS_PICTURES = ("preprocess", "ocr")


def process_file(path: str | Path | None, cfg: Config, *, until: str | None = None,
                 resume_from: Document | None = None) -> Document:
    """Run the stages on one input (or go on with *resume_from*) and return the Document.

    *until* names the last stage to run (default: all, export writing the outputs); stages already
    in ``resume_from.stages_done`` are skipped.

    Raises:
        PipelineError: a typed error for bad input or a missing dependency; StageError wraps any
        other failure with the stage's name.
    """
    if until is not None and until not in STAGE_NAMES:
        raise ValueError(f"unknown stage {until!r}; stages: {', '.join(STAGE_NAMES)}")
    doc = resume_from if resume_from is not None else ingest.open_document(Path(path))
    todo = [(name, stage) for name, stage in STAGES if name not in doc.stages_done]
    scanned = any(p.origin == "ocr" for p in doc.pages)
    if (
        resume_from is not None
        and scanned
        and work_of(doc) is None
        and any(name in NEEDS_PICTURES for name, _ in todo)
    ):
        raise ResumeError(
            f"{doc.doc_id}: cannot resume at '{todo[0][0]}': the page pictures are not saved with a "
            "Document; resume after OCR, or run from the input file"
        )
    for name, stage in todo:
        started = time.perf_counter()
        try:
            doc = stage(doc, cfg)
        except PipelineError:
            raise
        except Exception as e:
            raise StageError(name, doc.doc_id, e) from e
        doc.timings[name] = round(time.perf_counter() - started, 3)
        doc.stages_done.append(name)
        if name == until:
            break
    if doc.stages_done[-1:] == STAGE_NAMES[-1:]:
        release(doc)  # done: the pictures are no longer needed
    return doc
