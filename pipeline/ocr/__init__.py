"""OCR: words with boxes and confidence for every page that has a picture, and the marks read.

Reads: the prepared pictures (``work.pictures``), the marks preprocess masked (``work.marks``) and
the turns made so far (``work.turns``).
Writes: Page.blocks (blocks -> lines -> words) of scanned pages; Page.rotation (the turns made so
far, and a half turn when the page reads better upside down); Document.annotations: the marks, read
(text, pen figures digit by digit, e-office form fields) and kept (a ruled box is a stamp only if it
says so).

Engines are registered by name (``engine.ENGINES``); a user can also point ``ocr.engine`` at
"package.module:Class", a subclass of ``engine.OcrEngine``.
"""

from __future__ import annotations

import logging

import numpy as np

from pipeline.config import Config, OcrConfig
from pipeline.geometry import turned
from pipeline.models import Document, Page
from pipeline.ocr import tesseract  # noqa: F401  (registers the "tesseract" engine)
from pipeline.ocr.engine import ENGINES, OcrEngine, get_engine, mean_confidence, register_engine
from pipeline.ocr.marks import read_marks
from pipeline.ocr.reread import reread_column_pieces, reread_header
from pipeline.work import work_of

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ("pages[].blocks", "pages[].rotation", "annotations")

__all__ = ["run", "OcrEngine", "ENGINES", "register_engine", "get_engine"]

log = logging.getLogger(__name__)

UPSIDE_DOWN_GAIN = 10  # a page turned over must read this much surer (mean confidence) to be kept so


def run(doc: Document, cfg: Config) -> Document:
    """Recognise every page that holds a picture, then the marks found on them."""
    work = work_of(doc)
    pages = [p for p in doc.pages if work is not None and p.number in work.pictures]
    if not pages and not (work and work.marks):  # a text file, or a text layer without form fields
        return doc
    engine = get_engine(cfg.ocr)
    pictures = work.pictures
    read = engine.recognize_many([pictures[p.number] for p in pages], cfg.ocr) if pages else []
    for page, blocks in zip(pages, read, strict=True):
        page.blocks = blocks
        half_turn = 0
        if cfg.ocr.upside_down_below and mean_confidence(page.blocks) < cfg.ocr.upside_down_below:
            half_turn = _try_upside_down(page, pictures, engine, cfg.ocr)
        page.rotation = (work.turns.get(page.number, 0) + half_turn) % 360
    if cfg.ocr.reread_column_pieces:
        reread_column_pieces(pages, pictures, engine, cfg.ocr)
    if cfg.ocr.reread_header_lines and pages:
        reread_header(pages[0], pictures[pages[0].number], engine, cfg.ocr)
    kept = read_marks(work.marks, {p.number: p.height for p in doc.pages}, engine, cfg.ocr)
    doc.annotations = [m.annotation for m in kept]
    return doc


def _try_upside_down(page: Page, pictures: dict[int, np.ndarray], engine: OcrEngine, cfg: OcrConfig) -> int:
    """A page read badly may be upside down: read it turned and keep the better reading.

    Returns 180 when the turned reading was kept (its picture replaces the page's), else 0."""
    upside_down = turned(pictures[page.number], 180)
    blocks = engine.recognize(upside_down, cfg)
    if mean_confidence(blocks) > mean_confidence(page.blocks) + UPSIDE_DOWN_GAIN:
        log.info("page %d was upside down", page.number)
        pictures[page.number], page.blocks = upside_down, blocks
        return 180
    return 0
