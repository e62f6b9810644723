"""Preprocess: make each page image easy for Tesseract (OpenCV).

Reads: Page.image of pages that need OCR.
Writes: Page.image (gray, upright, deskewed, cleaned), Page.skew_deg, Page.dpi when upscaled,
Document.annotations for ink it masked.

The masking steps run in order through ``MASK_STEPS``; each takes the colour page and returns the
regions it blanked, so stamp and handwriting detectors slot in without touching the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import cv2
import numpy as np

from pipeline.config import PreprocessConfig
from pipeline.models import Annotation, BBox, Document, Page

log = logging.getLogger(__name__)

MaskStep = Callable[[np.ndarray, np.ndarray, PreprocessConfig], list[tuple[str, BBox]]]


def run(doc: Document, cfg: PreprocessConfig) -> Document:
    """Clean every page image in place; pages from a text layer or text file pass through."""
    for page in doc.pages:
        if not page.has_image():
            continue
        gray, found = prepare_page(page, cfg)
        page.image = gray
        doc.annotations.extend(Annotation(kind=kind, page=page.number, bbox=box) for kind, box in found)
    return doc


def prepare_page(page: Page, cfg: PreprocessConfig) -> tuple[np.ndarray, list[tuple[str, BBox]]]:
    """Return the cleaned gray image of *page* and the (kind, bbox) of every mark removed."""
    image = page.image
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if cfg.upscale_below_dpi and page.dpi and page.dpi < cfg.upscale_below_dpi:
        factor = 300 / page.dpi
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        page.dpi = 300
    # The brightest channel keeps black print black but lifts red and blue ink towards white.
    gray = image.max(axis=2) if cfg.drop_colour_ink else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    found: list[tuple[str, BBox]] = []
    for step in MASK_STEPS:
        found.extend(step(image, gray, cfg))
    if cfg.orientation != "off":
        turn = page_orientation(gray, cfg.orientation)
        if turn:
            gray = cv2.rotate(gray, _TURN_CODES[turn])
            page.rotation = (page.rotation + turn) % 360
    if cfg.denoise == "median3":
        gray = cv2.medianBlur(gray, 3)
        gray = _drop_specks(gray, page.dpi or 300)
    if cfg.deskew:
        angle = estimate_skew(gray, cfg.max_skew_deg)
        if abs(angle) >= 0.05:
            gray = rotate(gray, angle)
        page.skew_deg = round(angle, 2)
    page.width, page.height = gray.shape[1], gray.shape[0]
    return gray, found


def _mask_colour_ink(image: np.ndarray, gray: np.ndarray, cfg: PreprocessConfig) -> list[tuple[str, BBox]]:
    """Whiten saturated ink (red seals, blue/violet stamps and pen) in *gray*; body text is black."""
    if not cfg.drop_colour_ink:
        return []
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    strong = ((hsv[:, :, 1] > cfg.colour_saturation) & (hsv[:, :, 2] > 60)).astype(np.uint8)
    if strong.mean() < 1e-4:
        return []
    # JPEG's halved chroma leaves thin coloured strokes greyish; near clearly coloured ink a weaker
    # tint is enough.
    near = cv2.dilate(strong, np.ones((9, 9), np.uint8)) > 0
    weak = (hsv[:, :, 1] > cfg.colour_saturation // 2) & near
    mask = cv2.dilate(((strong > 0) | weak).astype(np.uint8), np.ones((3, 3), np.uint8))
    gray[(mask > 0) & (gray > 80)] = 255  # black print crossed by the ink stays
    found = []
    blobs = cv2.dilate(mask, np.ones((25, 25), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(blobs)
    min_area = (image.shape[0] * image.shape[1]) * 2e-4
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if area < min_area:
            continue
        hue = np.median(hsv[y:y + h, x:x + w, 0][mask[y:y + h, x:x + w] > 0])
        kind = "seal" if hue < 12 or hue > 160 else "stamp" if w > 1.2 * h else "handwriting"
        found.append((kind, (int(x), int(y), int(x + w), int(y + h))))
    return found


MASK_STEPS: list[MaskStep] = [_mask_colour_ink]


def _drop_specks(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Whiten isolated dark dots smaller than a Vietnamese dot-below (about 4 px wide at 300 dpi)."""
    binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    limit = 10 * (dpi / 300) ** 2
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= limit)
    small = small[small > 0]
    if small.size:
        gray = gray.copy()
        gray[np.isin(labels, small)] = 255
    return gray


_TURN_CODES = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def page_orientation(gray: np.ndarray, mode: str = "auto") -> int:
    """Degrees to turn the page clockwise so its text reads upright (0, 90, 180 or 270).

    "auto" asks Tesseract's OSD only when the text lines run vertically (a cheap profile test), so
    upright pages cost nothing; upside-down pages are caught after OCR by their confidence.
    "osd" asks OSD for every page.
    """
    if mode == "auto" and not _lines_vertical(gray):
        return 0
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(gray, config="--psm 0 -c min_characters_to_try=50",
                                       output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as e:
        log.info("OSD failed (%s); assuming the text runs clockwise", e)
        return 90 if mode == "auto" else 0
    turn = int(osd.get("rotate", 0)) % 360
    if mode == "auto" and turn in (0, 180):
        return 90  # the profile test saw vertical lines; OSD's vertical verdicts are the reliable part
    return turn


def _lines_vertical(gray: np.ndarray) -> bool:
    scale = 800 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1].astype(np.float64)
    if binary.mean() < 0.002:
        return False

    def sharpness(profile: np.ndarray) -> float:
        return float(np.sum(np.diff(profile) ** 2) / max(1.0, np.sum(profile) ** 2) * len(profile))

    return sharpness(binary.sum(axis=0)) > 1.5 * sharpness(binary.sum(axis=1))


def estimate_skew(gray: np.ndarray, max_deg: float) -> float:
    """Angle (degrees, counter-clockwise positive) that makes text lines horizontal.

    Projection-profile search on a downscaled binary image: the right angle gives the sharpest
    row profile. Coarse 0.5° steps, then 0.05° around the best.
    """
    scale = 1000 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    if binary.mean() < 0.5:  # blank page
        return 0.0

    def sharpness(angle: float) -> float:
        rows = rotate(binary, angle, border=0).sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = np.arange(-max_deg, max_deg + 0.01, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.05)
    return float(max(fine, key=sharpness))


def rotate(image: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    """Rotate about the centre by *angle* degrees (counter-clockwise), keeping the size."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
