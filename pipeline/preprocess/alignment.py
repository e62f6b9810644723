"""Page alignment: orientation (0/90/180/270) and skew."""

from __future__ import annotations

import logging

import cv2
import numpy as np

log = logging.getLogger(__name__)

# Profiles are measured on a page shrunk to about this many pixels on its long side: enough for
# lines, a fraction of the cost.
ORIENTATION_PX = 800
SKEW_PX = 1000
VERTICAL_SHARPER = 1.5  # column profile this much sharper than the row profile: the lines run vertically
COARSE_STEP_DEG, FINE_STEP_DEG = 0.5, 0.05


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
        log.info("OSD failed (%s); leaving the page as it is", e)
        return 0
    return int(osd.get("rotate", 0)) % 360


def _lines_vertical(gray: np.ndarray) -> bool:
    scale = ORIENTATION_PX / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    small = cv2.medianBlur(small, 3)  # scanner specks blur both profiles alike
    binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1].astype(np.float64)
    if binary.mean() < 0.002:
        return False

    def sharpness(profile: np.ndarray) -> float:
        return float(np.sum(np.diff(profile) ** 2) / max(1.0, np.sum(profile) ** 2) * len(profile))

    return sharpness(binary.sum(axis=0)) > VERTICAL_SHARPER * sharpness(binary.sum(axis=1))


def estimate_skew(gray: np.ndarray, max_deg: float) -> float:
    """Angle (degrees, counter-clockwise positive) that makes text lines horizontal.

    Projection-profile search on a downscaled binary image: the right angle gives the sharpest
    row profile. Coarse 0.5° steps, then 0.05° around the best.
    """
    scale = SKEW_PX / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    if binary.mean() < 0.5:  # blank page
        return 0.0

    def sharpness(angle: float) -> float:
        rows = rotate(binary, angle, border=0).sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = np.arange(-max_deg, max_deg + 0.01, COARSE_STEP_DEG)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - COARSE_STEP_DEG, best + COARSE_STEP_DEG + 0.01, FINE_STEP_DEG)
    return float(max(fine, key=sharpness))


def rotate(image: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    """Rotate about the centre by *angle* degrees (counter-clockwise), keeping the size."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    fill = (border, border, border) if image.ndim == 3 else border  # a bare 255 would fill blue
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)
