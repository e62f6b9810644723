"""PDF pages: the words of a usable text layer, or the page's picture (the scan's own raster when it
fills the page, else a render)."""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.config import IngestConfig
from pipeline.errors import InputFileError
from pipeline.geometry import QUARTER_TURNS, turned, union_box
from pipeline.lang.letters import has_marked_letter
from pipeline.lang.syllables import syllable_share
from pipeline.models import Annotation, Block, Line, Page, Word
from pipeline.work import Mark, Work

log = logging.getLogger(__name__)

TEXT_LAYER_DPI = 300  # text-layer boxes are kept in 300-dpi pixels, the units of OCR'd pages
POINTS_PER_INCH = 72
LINE_BAND_PT = 3  # words whose tops lie within this many points share a line
EMBEDDED_SCAN_SHARE = 0.9  # a single image covering this share of the page is the scan itself


def read_pdf(path: Path, cfg: IngestConfig, work: Work) -> list[Page]:
    try:
        plumber = pdfplumber.open(path)
        pdf = pdfium.PdfDocument(str(path))
        pdf.init_forms()  # before any page is loaded: e-office values are form fields, drawn only then
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
            pages.append(page or _image_page(pdf[index], index + 1, cfg, work))
            work.marks += _field_marks(pdf[index], index + 1)
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
    viet = sum(1 for w in words if has_marked_letter(w["text"]))
    if viet / len(words) < cfg.min_diacritic_ratio:
        # Scanner OCR layers without Vietnamese letters ("BO CONG THIJoNG") are worse than our OCR.
        log.info("page %d: text layer looks like garbage (%d/%d words Vietnamese)", number, viet, len(words))
        return None
    share = syllable_share([w["text"] for w in words])
    if share < cfg.min_syllable_ratio:
        # Glyph codes of a font without a Unicode map ("(cid:55)(cid:1228)") or a legacy 8-bit encoding
        # ("KÕ HO¹CH") carry some Vietnamese letters but few syllables: the page is read from its picture.
        log.info("page %d: text layer is no Vietnamese text (%.0f%% of its words syllables)", number,
                 100 * share)
        return None
    scale = TEXT_LAYER_DPI / POINTS_PER_INCH
    page = Page(
        number=number,
        width=int(plumber_page.width * scale),
        height=int(plumber_page.height * scale),
        dpi=TEXT_LAYER_DPI,
        origin="text_layer",
    )
    lines: dict[int, list[Word]] = {}
    for w in words:
        box = (int(w["x0"] * scale), int(w["top"] * scale), int(w["x1"] * scale), int(w["bottom"] * scale))
        lines.setdefault(round(w["top"] / LINE_BAND_PT), []).append(
            Word(text=unicodedata.normalize("NFC", w["text"]), bbox=box))
    for _, ws in sorted(lines.items()):
        ws.sort(key=lambda w: w.bbox[0])
        box = union_box(w.bbox for w in ws)
        page.blocks.append(Block(bbox=box, lines=[Line(bbox=box, words=ws)]))
    return page


def _image_page(pdf_page, number: int, cfg: IngestConfig, work: Work) -> Page:
    """The page as an image: the scan's own raster when it fills the page, else a pdfium render."""
    rotation = pdf_page.get_rotation()
    width_pt, height_pt = pdf_page.get_size()
    image, dpi = _embedded_scan(pdf_page, width_pt, height_pt, rotation)
    if image is None:
        image = pdf_page.render(scale=cfg.dpi / POINTS_PER_INCH).to_numpy()  # pdfium honours /Rotate itself
        dpi = cfg.dpi
        rotation = 0
    elif rotation in QUARTER_TURNS:
        image = turned(image, rotation)
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    work.pictures[number] = np.ascontiguousarray(image)
    work.turns[number] = rotation % 360
    return Page(number=number, width=image.shape[1], height=image.shape[0], dpi=dpi)


FIELD_MAX_PT = (200, 60)  # a number or date field is a word or two; a signature's picture is larger


def _field_marks(pdf_page, number: int) -> list[Mark]:
    """The small form fields of a page (an e-office system stamps the number and the day at signing:
    "Số: 3686 /UBND-XD" where the text says "Số: /UBND-XD"), each as a picture for OCR to read,
    its box in 300-dpi page pixels like the text layer's words."""
    rects = []
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(pdf_page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(pdf_page.raw, i)
        if pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET:
            rect = pdfium_c.FS_RECTF()
            if pdfium_c.FPDFAnnot_GetRect(annot, rect):
                rects.append((rect.left, rect.bottom, rect.right, rect.top))
        pdfium_c.FPDFPage_CloseAnnot(annot)
    rects = [r for r in rects if 0 < r[2] - r[0] <= FIELD_MAX_PT[0] and 0 < r[3] - r[1] <= FIELD_MAX_PT[1]]
    if not rects:
        return []
    scale = TEXT_LAYER_DPI / POINTS_PER_INCH
    picture = pdf_page.render(scale=scale, may_draw_forms=True, grayscale=True).to_numpy()
    if picture.ndim == 3:
        picture = picture[:, :, 0]
    _, height_pt = pdf_page.get_size()
    marks = []
    for left, bottom, right, top in rects:
        box = (int(left * scale), int((height_pt - top) * scale), int(right * scale),
               int((height_pt - bottom) * scale))
        crop = np.ascontiguousarray(picture[box[1]:box[3], box[0]:box[2]])
        if crop.size and crop.min() < FIELD_INK_BELOW:  # a field with something drawn in it
            marks.append(Mark(Annotation(kind="field", page=number, bbox=box), image=crop))
    return marks


FIELD_INK_BELOW = 128


def _embedded_scan(pdf_page, width_pt: float, height_pt: float, rotation: int):
    """Take the page image a scan already holds: re-rendering it costs more than the OCR."""
    objects = list(pdf_page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    if len(objects) != 1:
        return None, 0
    obj = objects[0]
    x0, y0, x1, y1 = obj.get_bounds()
    page_w, page_h = (height_pt, width_pt) if rotation in (90, 270) else (width_pt, height_pt)
    if (x1 - x0) * (y1 - y0) < EMBEDDED_SCAN_SHARE * page_w * page_h:
        return None, 0
    try:
        image = obj.get_bitmap(render=False).to_numpy()
    except Exception as e:
        log.info("embedded image not decodable (%s); rendering the page", e)
        return None, 0
    px_w = image.shape[1]
    dpi = int(round(px_w / ((x1 - x0) / POINTS_PER_INCH)))
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image, dpi
