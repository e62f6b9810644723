"""Ingest: read a PDF, an image or an OCR text file into a Document.

Reads: the input file (never modified).
Writes: Document.source, Document.pages (text-layer words, or page images for OCR); for a text file,
Document.paragraphs straight from its lines.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageSequence

from pipeline.config import IngestConfig
from pipeline.errors import InputFileError
from pipeline.models import Block, Document, Line, Page, Paragraph, SourceInfo, Word, union_box

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
TEXT_SUFFIXES = {".txt"}
_VIET_LETTERS = re.compile(r"[À-ỹĐđ]")
_ROTATE_CODES = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


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


def run(doc: Document, cfg: IngestConfig) -> Document:
    """Fill the document's pages from its source file."""
    path = Path(doc.source.path)
    if doc.source.kind == "text":
        _read_text(doc, path)
    elif doc.source.kind == "image":
        doc.pages = _read_image(path, cfg)
    else:
        doc.pages = _read_pdf(path, cfg)
        if doc.pages and all(p.origin == "text_layer" for p in doc.pages):
            doc.source.kind = "pdf-text"
    doc.source.pages = max(1, len(doc.pages))
    return doc


def _read_text(doc: Document, path: Path) -> None:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputFileError(f"{path}: text input must be UTF-8 ({e.reason} at byte {e.start})") from e
    doc.pages = [Page(number=1, origin="text")]
    doc.paragraphs = [
        Paragraph(text=line.strip(), page=1, line_no=i)
        for i, line in enumerate(raw.splitlines(), start=1)
        if line.strip()
    ]
    if not doc.paragraphs:
        raise InputFileError(f"{path}: text file holds no text")


def _read_image(path: Path, cfg: IngestConfig) -> list[Page]:
    Image.MAX_IMAGE_PIXELS = cfg.max_pixels
    try:
        img = Image.open(path)
        pages = []
        for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
            _check_size(path, frame.width, frame.height, cfg)
            dpi = int(round((frame.info.get("dpi") or (300, 300))[0])) or 300
            arr = np.asarray(frame.convert("RGB"))[:, :, ::-1].copy()
            pages.append(Page(number=number, width=arr.shape[1], height=arr.shape[0], dpi=dpi, image=arr))
            if number >= cfg.max_pages:
                break
    except Image.DecompressionBombError as e:
        raise InputFileError(f"{path}: image too large ({e}); limit is ingest.max_pixels") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise InputFileError(f"{path}: not a readable image ({e})") from e
    return pages


def _check_size(path: Path, width: int, height: int, cfg: IngestConfig) -> None:
    if width * height > cfg.max_pixels or max(width, height) > 20000:
        raise InputFileError(
            f"{path}: image of {width}x{height} px is too large for a page scan (limit ingest.max_pixels)"
        )
    if min(width, height) < 200:
        raise InputFileError(f"{path}: image of {width}x{height} px is too small to hold a page of text")


def _read_pdf(path: Path, cfg: IngestConfig) -> list[Page]:
    try:
        plumber = pdfplumber.open(path)
        pdf = pdfium.PdfDocument(str(path))
    except Exception as e:  # pdfminer and pdfium raise many types for damaged files
        text = str(e) or type(e).__name__
        if "password" in text.lower() or "encrypt" in text.lower() or "PDFPassword" in type(e).__name__:
            raise InputFileError(f"{path}: PDF is encrypted; remove the password first") from e
        raise InputFileError(f"{path}: not a readable PDF ({text})") from e
    with plumber:
        try:
            count = len(plumber.pages)
        except Exception as e:
            raise InputFileError(f"{path}: not a readable PDF ({e})") from e
        if count == 0:
            raise InputFileError(f"{path}: PDF has no pages")
        if count > cfg.max_pages:
            raise InputFileError(f"{path}: {count} pages is more than ingest.max_pages={cfg.max_pages}")
        pages = []
        for index, plumber_page in enumerate(plumber.pages):
            page = _text_layer_page(plumber_page, index + 1, cfg) if cfg.use_text_layer else None
            pages.append(page or _image_page(pdf[index], index + 1, cfg))
    pdf.close()
    return pages


def _text_layer_page(plumber_page, number: int, cfg: IngestConfig) -> Page | None:
    """A Page from the PDF's own words, or None when the layer is missing or garbage."""
    try:
        words = plumber_page.extract_words(keep_blank_chars=False, use_text_flow=True)
    except Exception as e:
        log.warning("page %d: text layer unreadable (%s); using OCR", number, e)
        return None
    if len(words) < cfg.min_text_layer_words:
        return None
    viet = sum(1 for w in words if _VIET_LETTERS.search(w["text"]))
    if viet / len(words) < cfg.min_diacritic_ratio:
        # Scanner OCR layers without Vietnamese letters ("BO CONG THIJoNG") are worse than our OCR.
        log.info("page %d: text layer looks like garbage (%d/%d words Vietnamese)", number, viet, len(words))
        return None
    scale = 300 / 72  # keep boxes in 300-dpi pixel units like OCR pages
    page = Page(
        number=number,
        width=int(plumber_page.width * scale),
        height=int(plumber_page.height * scale),
        dpi=300,
        origin="text_layer",
    )
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        box = (int(w["x0"] * scale), int(w["top"] * scale), int(w["x1"] * scale), int(w["bottom"] * scale))
        key = (round(w["top"] / 3), 0)
        lines.setdefault(key, []).append(Word(text=unicodedata.normalize("NFC", w["text"]), bbox=box))
    for _, ws in sorted(lines.items()):
        ws.sort(key=lambda w: w.bbox[0])
        box = union_box(w.bbox for w in ws)
        page.blocks.append(Block(bbox=box, lines=[Line(bbox=box, words=ws)]))
    return page


def _image_page(pdf_page, number: int, cfg: IngestConfig) -> Page:
    """The page as an image: the scan's own raster when it fills the page, else a pdfium render."""
    rotation = pdf_page.get_rotation()
    width_pt, height_pt = pdf_page.get_size()
    image, dpi = _embedded_scan(pdf_page, width_pt, height_pt, rotation)
    if image is None:
        scale = cfg.dpi / 72
        image = pdf_page.render(scale=scale).to_numpy()  # pdfium honours /Rotate itself
        dpi = cfg.dpi
        rotation = 0
    elif rotation in _ROTATE_CODES:
        image = cv2.rotate(image, _ROTATE_CODES[rotation])
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return Page(number=number, width=image.shape[1], height=image.shape[0], dpi=dpi,
                image=np.ascontiguousarray(image), rotation=rotation)


def _embedded_scan(pdf_page, width_pt: float, height_pt: float, rotation: int):
    """Take the page image a scan already holds: re-rendering it costs more than the OCR."""
    objects = list(pdf_page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    if len(objects) != 1:
        return None, 0
    obj = objects[0]
    x0, y0, x1, y1 = obj.get_bounds()
    page_w, page_h = (height_pt, width_pt) if rotation in (90, 270) else (width_pt, height_pt)
    if (x1 - x0) * (y1 - y0) < 0.9 * page_w * page_h:
        return None, 0
    try:
        image = obj.get_bitmap(render=False).to_numpy()
    except Exception as e:
        log.info("embedded image not decodable (%s); rendering the page", e)
        return None, 0
    px_w = image.shape[1]
    dpi = int(round(px_w / ((x1 - x0) / 72)))
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image, dpi
