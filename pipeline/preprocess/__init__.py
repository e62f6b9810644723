"""Preprocess: make each page picture easy for Tesseract (OpenCV).

Reads: the pictures of scanned pages (``work.pictures``), Page.dpi.
Writes: Page.width, height and dpi (of the prepared picture; scans under
``preprocess.upscale_below_dpi`` are enlarged to 300 dpi), Page.skew_deg.
Work state: each picture replaced by its prepared one (gray, upright, level, marks masked), the
quarter turn that made it upright added to ``work.turns``, the seals, stamps and pen marks it masked
(``work.marks``, each with an ink-only picture for OCR to read), and with ``preprocess.debug`` a
picture of each page with those marks outlined.

The page is aligned first (orientation, skew) so every box is in the coordinates the OCR sees; the
mask steps in ``marks.MASK_STEPS`` then run in order on the aligned colour page.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from pipeline.config import Config, PreprocessConfig
from pipeline.geometry import turned
from pipeline.models import Document, Page
from pipeline.preprocess.alignment import estimate_skew, page_orientation, rotate
from pipeline.preprocess.marks import MASK_STEPS, despeckle
from pipeline.work import Mark, work_of

# The Document fields this stage writes (tests/test_contract.py holds every stage to them).
WRITES = ("pages[].width", "pages[].height", "pages[].dpi", "pages[].skew_deg")

__all__ = ["run", "prepare_page", "estimate_skew", "page_orientation"]

TARGET_DPI = 300  # what Tesseract's models are trained on
MIN_SKEW_DEG = 0.05  # a smaller tilt is not worth a rotation's blur
_DEBUG_COLOURS = {"seal": (0, 0, 255), "stamp": (255, 0, 0), "handwriting": (0, 160, 0)}


class Prepared(NamedTuple):
    gray: np.ndarray  # the picture OCR reads
    marks: list[Mark]  # what was masked from it
    turn: int  # degrees turned clockwise to make it upright
    debug: np.ndarray | None  # the picture with the marks outlined (preprocess.debug)


def run(doc: Document, cfg: Config) -> Document:
    """Prepare every page picture; pages from a text layer or text file have none and pass through."""
    work = work_of(doc)
    for page in doc.pages:
        picture = work.pictures.get(page.number) if work else None
        if picture is None:
            continue
        prepared = prepare_page(page, picture, cfg.preprocess)
        work.pictures[page.number] = prepared.gray
        work.turns[page.number] = (work.turns.get(page.number, 0) + prepared.turn) % 360
        work.marks.extend(prepared.marks)
        if prepared.debug is not None:
            work.debug_pictures[page.number] = prepared.debug
    return doc


def prepare_page(page: Page, image: np.ndarray, cfg: PreprocessConfig) -> Prepared:
    """The cleaned gray picture of *page* (from *image*) and every mark removed from it."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if cfg.upscale_below_dpi and page.dpi and page.dpi < cfg.upscale_below_dpi:
        factor = TARGET_DPI / page.dpi
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        page.dpi = TARGET_DPI
    plain = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    turn = page_orientation(plain, cfg.orientation) if cfg.orientation != "off" else 0
    image, plain = turned(image, turn), turned(plain, turn)
    if cfg.deskew:
        angle = estimate_skew(plain, cfg.max_skew_deg)
        if abs(angle) >= MIN_SKEW_DEG:
            image = rotate(image, angle)
        page.skew_deg = round(angle, 2)
    # The brightest channel keeps black print black but lifts red and blue ink towards white.
    if cfg.drop_colour_ink:  # (cv2 per channel: numpy's max over the channel axis took 0.2 s a page)
        blue, green, red = cv2.split(image)
        gray = cv2.max(cv2.max(blue, green), red)
    else:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    found: list[Mark] = []
    for step in MASK_STEPS:
        found.extend(step(image, gray, page.number, cfg))
    if cfg.denoise == "median3":
        gray = despeckle(gray, page.dpi or TARGET_DPI)
    if cfg.binarize:
        # Tesseract binarises anyway; handing it black and white saves a third of its time.
        gray = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    page.width, page.height = gray.shape[1], gray.shape[0]
    return Prepared(gray, found, turn, _debug_picture(gray, found) if cfg.debug else None)


def _debug_picture(gray: np.ndarray, found: list[Mark]) -> np.ndarray:
    """The page OCR will see, with every masked mark outlined, so a person sees why a word vanished."""
    picture = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    for mark in found:
        x0, y0, x1, y1 = mark.annotation.bbox
        kind = mark.annotation.kind
        colour = _DEBUG_COLOURS[kind]
        cv2.rectangle(picture, (x0, y0), (x1, y1), colour, 4)
        cv2.putText(picture, kind, (x0, max(30, y0 - 10)), cv2.FONT_HERSHEY_SIMPLEX, 1.2, colour, 3)
    return picture
