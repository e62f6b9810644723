"""Pictures of pen-written figures made easier for Tesseract to read.

A hand writes each figure a little above or below the one before it. Tesseract's line model takes a
figure raised by a third of its height for a superscript and reads it as another digit ("1305" as
"1805"); the same figures set back on one baseline read right.
"""

from __future__ import annotations

import cv2
import numpy as np

GLYPH_MIN_AREA = 12  # smaller ink is a speck
GLYPH_MAX_SHARE = 0.4  # ink this share of the picture's width or height is the stamp's frame, no glyph
FULL_HEIGHT = 0.5  # a glyph at least this share of the glyph height is a figure (not a dot or comma)
MIN_GLYPHS = 3  # fewer figures than this give no baseline


def settle_baselines(gray: np.ndarray, most_shift: float = 0.45) -> np.ndarray:
    """Each glyph moved up or down onto the baseline its row's other glyphs share.

    Pieces of one broken glyph (overlapping columns) move together. A glyph further off than
    *most_shift* of the glyph height belongs to another row and stays.
    """
    found = _rows(gray)
    if found is None:
        return gray
    labels, stats, size, rows = found
    x, y, w, h = (stats[1:, i] for i in range(4))
    out = gray.copy()
    for members in rows:
        for glyph, shift in _shifts(_glyphs(members, x, w), y, h, size, most_shift):
            # the glyph's box and a pixel round it for the fringe: not the whole picture per glyph
            x0, y0 = max(0, min(x[i] for i in glyph) - 1), max(0, min(y[i] for i in glyph) - 1)
            x1, y1 = max(x[i] + w[i] for i in glyph) + 1, max(y[i] + h[i] for i in glyph) + 1
            _move(gray, out, np.isin(labels[y0:y1, x0:x1], [i + 1 for i in glyph]), shift, (x0, y0))
    return out


def row_pieces(gray: np.ndarray, gap: float = 1.0) -> list[list[tuple[int, int, int, int]]]:
    """Boxes of the pieces of each row, top row first: glyphs closer than *gap* glyph heights
    together. A stamp's row is its printed label, the pen's figure and what print left beside it;
    each read alone, the figure keeps Tesseract's line model to itself."""
    found = _rows(gray)
    if found is None:
        return []
    _, stats, size, rows = found
    x, y, w, h = (stats[1:, i] for i in range(4))
    pieces = []
    for members in rows:
        if max(h[i] for i in members) < FULL_HEIGHT * size:
            continue  # a row of specks or accents
        boxes: list[list[int]] = []
        for i in sorted(members, key=lambda i: x[i]):
            if boxes and x[i] - boxes[-1][2] < gap * size:
                box = boxes[-1]
                box[:] = [box[0], min(box[1], y[i]), max(box[2], x[i] + w[i]), max(box[3], y[i] + h[i])]
            else:
                boxes.append([int(x[i]), int(y[i]), int(x[i] + w[i]), int(y[i] + h[i])])
        pieces.append([tuple(int(v) for v in b) for b in boxes])
    return pieces


def _rows(gray: np.ndarray):
    """Components grouped into rows: (labels, stats, glyph height, rows of component indices).

    Rows are found from the middle thirds of glyph-sized components (a figure raised by up to a
    third of its height still overlaps its neighbours there; halves let close rows run together).
    The stamp's frame and the specks are not glyphs.
    """
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    height, width = gray.shape
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    glyph_like = np.flatnonzero((area >= GLYPH_MIN_AREA) & (w < GLYPH_MAX_SHARE * width)
                                & (h < GLYPH_MAX_SHARE * height))
    if len(glyph_like) < MIN_GLYPHS:
        return None
    tallest_half = np.sort(h[glyph_like])[len(glyph_like) // 2:]
    size = float(np.median(tallest_half))
    cover = np.zeros(height + 1, np.int32)
    for i in glyph_like[h[glyph_like] >= FULL_HEIGHT * size]:
        cover[y[i] + h[i] // 3:y[i] + 2 * h[i] // 3 + 1] += 1
    row_of = np.cumsum(np.diff(np.concatenate([[0], cover > 0]).astype(np.int8)) == 1)
    row_of[cover == 0] = 0
    rows: dict[int, list[int]] = {}
    for i in glyph_like:
        if row := row_of[y[i] + h[i] // 2]:
            rows.setdefault(int(row), []).append(int(i))
    return labels, stats, size, [rows[r] for r in sorted(rows)]


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
    # not dots, commas or specks
    full = [b for t, b in zip(tops, bottoms, strict=True) if b - t >= FULL_HEIGHT * size]
    if len(full) < MIN_GLYPHS:
        return
    base = int(np.median(full))
    for glyph, top, bottom in zip(glyphs, tops, bottoms, strict=True):
        shift = base - bottom
        if bottom - top >= FULL_HEIGHT * size and shift and abs(shift) <= most_shift * size:
            yield glyph, shift


def _move(gray: np.ndarray, out: np.ndarray, mask: np.ndarray, shift: int, corner: tuple[int, int]) -> None:
    """The glyph's pixels (*mask*, from *corner*) with their grey fringe, lifted from *out* and set
    down *shift* rows lower."""
    x0, y0 = corner
    fringe = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    ys, xs = np.nonzero(fringe)
    ys, xs = ys + y0, xs + x0
    values = gray[ys, xs]
    out[ys, xs] = 255
    to = np.clip(ys + shift, 0, gray.shape[0] - 1)
    out[to, xs] = np.minimum(out[to, xs], values)
