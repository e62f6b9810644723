"""Pen figures prepared for reading: glyphs set on one baseline, rows cut into pieces."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.ocr.pen import row_pieces, settle_baselines


def _draw(
    picture: np.ndarray, text: str, x: int, baseline: int, raise_at: dict[int, int] | None = None
) -> None:
    """Draw *text* one glyph at a time; glyph i raised by raise_at[i] pixels."""
    for i, ch in enumerate(text):
        cv2.putText(picture, ch, (x, baseline - (raise_at or {}).get(i, 0)), cv2.FONT_HERSHEY_SIMPLEX, 1.4,
                    0, 3, cv2.LINE_AA)
        x += 34


def _glyph_bottoms(picture: np.ndarray) -> list[int]:
    count, _, stats, _ = cv2.connectedComponentsWithStats((picture < 128).astype(np.uint8))
    glyphs = sorted((s for s in stats[1:] if s[4] > 30), key=lambda s: (s[1] + s[3] // 2 > 120, s[0]))
    return [int(s[1] + s[3]) for s in glyphs]


def test_pen_raised_figure_set_back_on_the_baseline():
    picture = np.full((220, 400), 255, np.uint8)
    _draw(picture, "1305", 40, 80, raise_at={1: 9})  # the "3" written high, as a hand does
    _draw(picture, "0703", 40, 170, raise_at={2: -8})  # a figure written low in the next row
    before = _glyph_bottoms(picture)
    settled = settle_baselines(picture)
    after = _glyph_bottoms(settled)
    assert max(before[:4]) - min(before[:4]) >= 8
    assert max(after[:4]) - min(after[:4]) <= 1 and max(after[4:]) - min(after[4:]) <= 1
    assert abs(after[0] - after[4]) > 60  # the rows stay apart
    assert np.count_nonzero(settled < 128) == np.count_nonzero(picture < 128)  # moved, not redrawn


def test_pen_row_pieces_split_label_figure_and_remnant():
    picture = np.full((200, 700), 255, np.uint8)
    _draw(picture, "So", 20, 80)
    _draw(picture, "4840", 180, 80)
    _draw(picture, "1", 560, 80)  # what print left beside the figure
    _draw(picture, "04/12/2026", 180, 160)
    pieces = row_pieces(picture)
    assert len(pieces) == 2
    assert [x0 for x0, _, _, _ in pieces[0]] == sorted(x0 for x0, _, _, _ in pieces[0])
    assert len(pieces[0]) == 3 and len(pieces[1]) == 1
    x0, y0, x1, y1 = pieces[0][1]
    assert 175 <= x0 <= 190 and 290 <= x1 <= 330


@pytest.mark.ocr
def test_pen_stamp_figures_read_piece_by_piece():
    """The number read alone, away from its label and the remnant beside it."""
    from pipeline.config import OcrConfig
    from pipeline.models import Annotation
    from pipeline.ocr.marks import _read_figure_rows
    from pipeline.ocr.tesseract import TesseractEngine
    from pipeline.work import Mark

    picture = np.full((200, 700), 255, np.uint8)
    _draw(picture, "So", 20, 80)
    _draw(picture, "4840", 180, 80, raise_at={2: 9})
    _draw(picture, "1", 560, 80)
    _draw(picture, "04/12/2026", 180, 160)
    mark = Mark(Annotation(kind="stamp", page=1, bbox=(0, 0, 700, 200)), image=picture)
    _read_figure_rows([mark], [[picture]], TesseractEngine(), OcrConfig(stamp_digit_scales=[1.0]))
    readings = mark.annotation.readings
    assert len(readings) == 1
    (number, _), (date, _) = readings[0][-2:]
    assert "4840" in number.split() and date == "04/12/2026"
