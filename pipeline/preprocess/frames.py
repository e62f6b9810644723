"""A stamp's ruled frame: found in an ink mask, and erased without cutting the print it crosses."""

from __future__ import annotations

import cv2
import numpy as np

RULE_MM = 9  # a stamp frame's rule runs at least this long; print has no such straight strokes
FRAME_WIDTH_MM, FRAME_HEIGHT_MM = 25, 12  # a frame has a rule this wide and a side this high
BRIDGE_MM = 6  # where the frame crosses black print its coloured rule has gaps up to this long


def ruled_lines(ink: np.ndarray, mm: float, shortest_mm: float = RULE_MM) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules in an ink mask (uint8, 255 = ink), a few degrees of tilt allowed."""
    # Stamps sit a few degrees off the print: thicken strokes so a tilted rule survives the opening.
    thick = cv2.dilate(ink, np.ones((5, 5), np.uint8))
    rows = cv2.morphologyEx(thick, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (int(shortest_mm * mm), 1)))
    cols = cv2.morphologyEx(thick, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(min(7, shortest_mm) * mm))))
    return cv2.bitwise_and(rows, ink), cv2.bitwise_and(cols, ink)


def has_frame(ink: np.ndarray, mm: float) -> bool:
    """A rectangle drawn round the mark: a rule of a stamp's width and a side of its height.

    Pen writing has neither: its strokes are short, even where a note is underlined."""
    rows, cols = ruled_lines(ink.astype(np.uint8) * 255, mm, shortest_mm=5)
    # Where the frame crosses black print the ink is black, not coloured: the rule has gaps.
    bridge = int(BRIDGE_MM * mm)
    rows = cv2.morphologyEx(rows, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1)))
    cols = cv2.morphologyEx(cols, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge)))
    widths = _extents(rows, axis=1)
    heights = _extents(cols, axis=0)
    return max(widths, default=0) >= FRAME_WIDTH_MM * mm and max(heights, default=0) >= FRAME_HEIGHT_MM * mm


def _extents(rules: np.ndarray, axis: int) -> list[int]:
    """Lengths of the rule pieces along *axis* (1: widths of horizontal rules, 0: heights)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(rules)
    index = cv2.CC_STAT_WIDTH if axis == 1 else cv2.CC_STAT_HEIGHT
    return [int(stats[i][index]) for i in range(1, count)]


def erase_frame(region: np.ndarray, rows: np.ndarray, cols: np.ndarray, ink: np.ndarray, mm: float) -> None:
    """Whiten a stamp's frame in *region* without cutting the print it crosses.

    The rule masks also hold the parts of glyphs that touch a rule, so each rule is refitted as a
    thin straight line; across it a column stays where ink goes on just beyond either edge (a
    stroke crossing the rule or resting on it), so a glyph loses no more than the rule's width.
    """
    for mask, view, inked in ((rows, region, ink), (cols.T, region.T, ink.T)):
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
        for i in range(1, count):
            if stats[i, cv2.CC_STAT_WIDTH] < RULE_MM * mm:
                continue
            line = _rule_line(labels == i)
            if line is None:
                continue
            slope, offset, half = line
            x0 = int(stats[i, cv2.CC_STAT_LEFT])
            for x in range(x0, x0 + int(stats[i, cv2.CC_STAT_WIDTH])):
                y = slope * x + offset
                top, bottom = max(0, int(y - half)), min(view.shape[0], int(np.ceil(y + half)) + 1)
                if not (inked[max(0, top - 2):top, x].any() or inked[bottom:bottom + 2, x].any()):
                    view[top:bottom, x] = 255


def _rule_line(pixels: np.ndarray) -> tuple[float, float, float] | None:
    """(slope, offset, half width) of a horizontal rule's mask, glyph parts touching it left out;
    None when it is no straight line."""
    xs = np.flatnonzero(pixels.any(axis=0))
    ys, counts = np.zeros(xs.size), np.zeros(xs.size)
    for k, x in enumerate(xs):
        column = np.flatnonzero(pixels[:, x])
        ys[k], counts[k] = np.median(column), column.size
    keep = np.ones(xs.size, bool)
    for _ in range(3):  # the columns where print touches the rule lie off the line: drop, refit
        if keep.sum() < 10:
            return None
        slope, offset = np.polyfit(xs[keep], ys[keep], 1)
        keep = np.abs(ys - (slope * xs + offset)) <= 2
    thin = counts[keep]
    half = (np.median(thin) if thin.size else 3) / 2 + 1.5
    return slope, offset, half
