"""Ingest: read a PDF, an image or an OCR text file into a Document.

Reads: the input file (never modified).
Writes: Document.doc_id and source (``open_document``); Document.pages: for each page its number,
origin and size, and the words of a usable PDF text layer or the lines of a text file as its blocks.
Work state: each scanned page's picture as the file holds it (``work.pictures``), the turn a PDF's
/Rotate asked for (``work.turns``), and the pictures of a PDF's small form fields, where e-office
systems stamp the number and the day at signing (``work.marks``, kind "field").
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

from pipeline.config import Config, IngestConfig
from pipeline.errors import InputFileError
from pipeline.ingest.pdf import read_pdf
from pipeline.models import Block, Document, Line, Page, SourceInfo, Word
from pipeline.work import Work, attach

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ("doc_id", "source", "pages")

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
TEXT_SUFFIXES = {".txt"}
DEFAULT_IMAGE_DPI = 300  # an image that does not say its resolution is taken for a 300-dpi scan
MAX_SIDE_PX = 20_000  # a page scan is never longer than this (A0 at 400 dpi is 13 244 by 18 724)
MIN_SIDE_PX = 200  # nor narrower than this: smaller cannot hold a page of text


def open_document(path: Path) -> Document:
    """An empty Document for *path* with its checksum and kind; raises InputFileError if unreadable."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if not path.is_file():
        raise InputFileError(f"{path}: not a file")
    data = path.read_bytes()
    if not data:
        raise InputFileError(f"{path}: file is empty")
    suffix = path.suffix.lower()
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        kind = "pdf-scan"
    elif suffix in TEXT_SUFFIXES:
        kind = "text"
    else:
        kind = "image"
    source = SourceInfo(path=str(path), sha256=hashlib.sha256(data).hexdigest(), kind=kind)
    return Document(doc_id=_doc_id(path), source=source)


def _doc_id(path: Path) -> str:
    stem = unicodedata.normalize("NFC", path.stem)
    return re.sub(r"[^\w.-]+", "_", stem).strip("_") or "document"


def run(doc: Document, cfg: Config) -> Document:
    """Fill the document's pages from its source file."""
    path = Path(doc.source.path)
    work = attach(doc)
    if doc.source.kind == "text":
        doc.pages = [_read_text(path)]
    elif doc.source.kind == "image":
        doc.pages = _read_image(path, cfg.ingest, work)
    else:
        doc.pages = read_pdf(path, cfg.ingest, work)
        if doc.pages and all(p.origin == "text_layer" for p in doc.pages):
            doc.source.kind = "pdf-text"
    doc.source.pages = max(1, len(doc.pages))
    return doc


def _read_text(path: Path) -> Page:
    """A text file as one page whose lines are its non-empty lines (no geometry; a line number each)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputFileError(f"{path}: text input must be UTF-8 ({e.reason} at byte {e.start})") from e
    lines = [Line(line_no=i, words=[Word(text=w) for w in line.split()])
             for i, line in enumerate(raw.splitlines(), start=1) if line.strip()]
    if not lines:
        raise InputFileError(f"{path}: text file holds no text")
    return Page(number=1, origin="text", blocks=[Block(lines=lines)])


def _read_image(path: Path, cfg: IngestConfig, work: Work) -> list[Page]:
    Image.MAX_IMAGE_PIXELS = cfg.max_pixels
    try:
        img = Image.open(path)
        pages = []
        for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
            _check_size(path, frame.width, frame.height, cfg)
            dpi = int(round((frame.info.get("dpi") or (DEFAULT_IMAGE_DPI,) * 2)[0])) or DEFAULT_IMAGE_DPI
            arr = np.asarray(frame.convert("RGB"))[:, :, ::-1].copy()
            pages.append(Page(number=number, width=arr.shape[1], height=arr.shape[0], dpi=dpi))
            work.pictures[number] = arr
            if number >= cfg.max_pages:
                break
    except Image.DecompressionBombError as e:
        raise InputFileError(f"{path}: image too large ({e}); limit is ingest.max_pixels") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise InputFileError(f"{path}: not a readable image ({e})") from e
    return pages


def _check_size(path: Path, width: int, height: int, cfg: IngestConfig) -> None:
    if width * height > cfg.max_pixels or max(width, height) > MAX_SIDE_PX:
        raise InputFileError(
            f"{path}: image of {width}x{height} px is too large for a page scan (limit ingest.max_pixels)"
        )
    if min(width, height) < MIN_SIDE_PX:
        raise InputFileError(f"{path}: image of {width}x{height} px is too small to hold a page of text")
