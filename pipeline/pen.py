"""Pictures of pen-written figures made easier for Tesseract to read.

A hand writes each figure a little above or below the one before it. Tesseract's line model takes a
figure raised by a third of its height for a superscript and reads it as another digit ("1305" as
"1805"); the same figures set back on one baseline read right.
"""

from __future__ import annotations

import cv2
import numpy as np


def settle_baselines(gray: np.ndarray, most_shift: float = 0.45) -> np.ndarray:
    """Each glyph moved up or down onto the baseline its row's other glyphs share.

    Rows are found from the middle thirds of glyph-sized components (a raised figure still overlaps
    its neighbours there); pieces of one broken glyph (overlapping columns) move together. A glyph
    further off than *most_shift* of the glyph height belongs to another row and stays.
    """
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    height, width = gray.shape
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    # the stamp's frame and the specks are not glyphs
    glyph_like = np.flatnonzero((area >= 12) & (w < 0.4 * width) & (h < 0.4 * height))
    if len(glyph_like) < 3:
        return gray
    tallest_half = np.sort(h[glyph_like])[len(glyph_like) // 2:]
    size = float(np.median(tallest_half))
    cover = np.zeros(height + 1, np.int32)
    for i in glyph_like[h[glyph_like] >= 0.5 * size]:
        cover[y[i] + h[i] // 3:y[i] + 2 * h[i] // 3 + 1] += 1
    row_of = np.cumsum(np.diff(np.concatenate([[0], cover > 0]).astype(np.int8)) == 1)
    row_of[cover == 0] = 0
    rows: dict[int, list[int]] = {}
    for i in glyph_like:
        if row := row_of[y[i] + h[i] // 2]:
            rows.setdefault(int(row), []).append(int(i))
    out = gray.copy()
    for members in rows.values():
        for glyph, shift in _shifts(_glyphs(members, x, w), y, h, size, most_shift):
            _move(gray, out, np.isin(labels, [i + 1 for i in glyph]), shift)
    return out


def _glyphs(members: list[int], x: np.ndarray, w: np.ndarray) -> list[list[int]]:
    """Components of one row grouped by shared columns: the pieces of a broken stroke stay one."""
    glyphs: list[list[int]] = []
    for i in sorted(members, key=lambda i: x[i]):
        if glyphs:
            left, right = min(x[j] for j in glyphs[-1]), max(x[j] + w[j] for j in glyphs[-1])
            if min(right, x[i] + w[i]) - max(left, x[i]) > 0.5 * min(w[i], right - left):
                glyphs[-1].append(i)
                continue
        glyphs.append([i])
    return glyphs


def _shifts(glyphs: list[list[int]], y: np.ndarray, h: np.ndarray, size: float, most_shift: float):
    tops = [min(y[j] for j in g) for g in glyphs]
    bottoms = [max(y[j] + h[j] for j in g) for g in glyphs]
    full = [b for t, b in zip(tops, bottoms) if b - t >= 0.5 * size]  # not dots, commas or specks
    if len(full) < 3:
        return
    base = int(np.median(full))
    for glyph, top, bottom in zip(glyphs, tops, bottoms):
        shift = base - bottom
        if bottom - top >= 0.5 * size and shift and abs(shift) <= most_shift * size:
            yield glyph, shift


def _move(gray: np.ndarray, out: np.ndarray, mask: np.ndarray, shift: int) -> None:
    """The glyph's pixels with their grey fringe, lifted from *out* and set down *shift* rows lower."""
    fringe = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    ys, xs = np.nonzero(fringe)
    values = gray[ys, xs]
    out[ys, xs] = 255
    to = np.clip(ys + shift, 0, gray.shape[0] - 1)
    out[to, xs] = np.minimum(out[to, xs], values)
