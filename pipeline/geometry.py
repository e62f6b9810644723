"""Boxes and quarter turns: the page geometry more than one stage works with."""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from pipeline.models import BBox

# Degrees turned clockwise -> OpenCV's code for that turn (a PDF's /Rotate, a sideways or upside-down scan).
QUARTER_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def union_box(boxes: Iterable[BBox]) -> BBox:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def centre_inside(box: BBox, other: BBox) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return other[0] <= x <= other[2] and other[1] <= y <= other[3]


def turned(image: np.ndarray, degrees: int) -> np.ndarray:
    """*image* turned clockwise by a multiple of 90 degrees."""
    degrees %= 360
    return cv2.rotate(image, QUARTER_TURNS[degrees]) if degrees else image
