"""Preprocess: make each page image easy for Tesseract (OpenCV).

Reads: Page.image of pages that need OCR.
Writes: Page.image (gray, upright, deskewed, cleaned), Page.rotation, Page.skew_deg, Page.dpi when
upscaled, Page.debug_image; Document.annotations for the seals, stamps and pen marks it masked (with an
ink-only crop the OCR stage reads).

The page is aligned first (orientation, skew) so every box is in the coordinates the OCR sees; the
mask steps in ``marks.MASK_STEPS`` then run in order on the aligned colour page.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.config import PreprocessConfig
from pipeline.models import Annotation, Document, Page
from pipeline.preprocess.geometry import TURN_CODES, estimate_skew, page_orientation, rotate
from pipeline.preprocess.marks import MASK_STEPS, despeckle

__all__ = ["run", "prepare_page", "estimate_skew", "page_orientation"]

_DEBUG_COLOURS = {"seal": (0, 0, 255), "stamp": (255, 0, 0), "handwriting": (0, 160, 0)}


def run(doc: Document, cfg: PreprocessConfig) -> Document:
    """Clean every page image in place; pages from a text layer or text file pass through."""
    for page in doc.pages:
        if not page.has_image():
            continue
        gray, found = prepare_page(page, cfg)
        page.image = gray
        doc.annotations.extend(found)
    return doc


def prepare_page(page: Page, cfg: PreprocessConfig) -> tuple[np.ndarray, list[Annotation]]:
    """Return the cleaned gray image of *page* and every mark removed from it."""
    image = page.image
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if cfg.upscale_below_dpi and page.dpi and page.dpi < cfg.upscale_below_dpi:
        factor = 300 / page.dpi
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        page.dpi = 300
    plain = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if cfg.orientation != "off":
        turn = page_orientation(plain, cfg.orientation)
        if turn:
            image, plain = cv2.rotate(image, TURN_CODES[turn]), cv2.rotate(plain, TURN_CODES[turn])
            page.rotation = (page.rotation + turn) % 360
    if cfg.deskew:
        angle = estimate_skew(plain, cfg.max_skew_deg)
        if abs(angle) >= 0.05:
            image = rotate(image, angle)
        page.skew_deg = round(angle, 2)
    # The brightest channel keeps black print black but lifts red and blue ink towards white.
    if cfg.drop_colour_ink:  # (cv2 per channel: numpy's max over the channel axis took 0.2 s a page)
        blue, green, red = cv2.split(image)
        gray = cv2.max(cv2.max(blue, green), red)
    else:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    found: list[Annotation] = []
    for step in MASK_STEPS:
        found.extend(step(image, gray, page.number, cfg))
    if cfg.denoise == "median3":
        gray = despeckle(gray, page.dpi or 300)
    if cfg.binarize:
        # Tesseract binarises anyway; handing it black and white saves a third of its time.
        gray = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    page.width, page.height = gray.shape[1], gray.shape[0]
    if cfg.debug:
        page.debug_image = _debug_picture(gray, found)
    return gray, found


def _debug_picture(gray: np.ndarray, found: list[Annotation]) -> np.ndarray:
    """The page OCR will see, with every masked mark outlined, so a person sees why a word vanished."""
    picture = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    for mark in found:
        x0, y0, x1, y1 = mark.bbox
        colour = _DEBUG_COLOURS[mark.kind]
        cv2.rectangle(picture, (x0, y0), (x1, y1), colour, 4)
        cv2.putText(picture, mark.kind, (x0, max(30, y0 - 10)), cv2.FONT_HERSHEY_SIMPLEX, 1.2, colour, 3)
    return picture
