"""Second readings of lines Tesseract's page segmentation read badly.

A line run across a column gap is read again column by column; the header's lines are read again
thinned and smaller, and the readings vote word by word. Each takes the new reading only where it
is surer (or the word list backs it).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.config import OcrConfig
from pipeline.geometry import centre_inside, union_box
from pipeline.lang.syllables import choose_words
from pipeline.models import Line, Page, Word
from pipeline.ocr.engine import OcrEngine, word_confidence

HEADER_SHARE = 0.33  # the header (issuer to subject) ends within the top third of a Nghị định 30 page
PAD_PX = 12  # white kept round a line's crop
COLUMN_GAP_HEIGHTS = 4  # a gap between words wider than this many word heights is a column gap
HEADER_SHRINK = 0.7  # the header's second reading is of its lines at this size ...
THINNING = np.ones((2, 2), np.uint8)  # ... and its third of them with strokes thinned by this


def reread_column_pieces(pages: list[Page], pictures: dict[int, np.ndarray], engine: OcrEngine,
                         cfg: OcrConfig) -> None:
    """Lines Tesseract ran across a column gap: each column of them read again as a block of its own.

    The recipients' column and the signer's ("Nơi nhận:" | "HẠ TẦNG VÀ GIAO THÔNG") have
    different line pitches; read as shared lines, the smaller italic "Nơi nhận:" came out as "~"
    and "- Như Điều 3;" as "CN Hàn 3:". A column's own reading replaces Tesseract's where it is surer.
    """
    pad = PAD_PX
    found = []  # (page, block, its lines run across the gap)
    crops, origins = [], []  # two per block: left column, right column
    for page in pages:
        # the first page's header has its own second reading (reread_header), pen figures and all
        picture = pictures[page.number]
        top = HEADER_SHARE * picture.shape[0] if page.number == 1 else 0
        for block in page.blocks:
            pieces = {id(ln): p for ln in block.lines
                      if ln.bbox[1] >= top and len(p := _column_pieces(ln.words)) == 2}
            if not pieces:
                continue
            left_ends = max(union_box(w.bbox for w in left)[2] for left, _ in pieces.values())
            right_starts = min(union_box(w.bbox for w in right)[0] for _, right in pieces.values())
            if left_ends >= right_starts:  # the lines' gaps do not line up: no column gap to cut along
                continue
            split = [ln for ln in block.lines if id(ln) in pieces]
            gap = (left_ends + right_starts) // 2
            x0, y0, x1, y1 = union_box(ln.bbox for ln in split)
            y0, y1 = max(0, y0 - pad), y1 + pad
            found.append((page, block, split))
            for left, right in ((max(0, x0 - pad), gap), (gap, x1 + pad)):
                crops.append(picture[y0:y1, left:right])
                origins.append((left, y0))
    if not found:
        return
    results = engine.recognize_many(crops, cfg.model_copy(update={"psm": 6}))
    split_ids = {id(ln) for _, _, split in found for ln in split}
    for n, (page, block, split) in enumerate(found):
        # a line the crop cut from above or below was read whole already
        whole = [ln.bbox for b in page.blocks for ln in b.lines if id(ln) not in split_ids]
        read = [
            _shifted_line(ln, *origins[k]) for k in (2 * n, 2 * n + 1) for b in results[k] for ln in b.lines
        ]
        new = [ln for ln in read if not any(centre_inside(ln.bbox, box) for box in whole)]
        surer = word_confidence([w for ln in new for w in ln.words]) > word_confidence(
            [w for ln in split for w in ln.words]
        )
        if new and surer:
            kept = [ln for ln in block.lines if id(ln) not in split_ids]
            block.lines = sorted(kept + new, key=lambda ln: ln.bbox[1])


def _shifted_line(line: Line, dx: int, dy: int) -> Line:
    """A line read in a crop, in the page's coordinates."""
    return Line(bbox=_shifted(line.bbox, dx, dy),
                words=[w.model_copy(update={"bbox": _shifted(w.bbox, dx, dy)}) for w in line.words])


def _shifted(box: tuple[int, int, int, int], dx: int, dy: int) -> tuple[int, int, int, int]:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _column_pieces(words: list[Word]) -> list[list[Word]]:
    """A line's words in runs parted by gaps wider than four times their height (a column gap)."""
    if len(words) < 2:
        return [words]
    height = sorted(w.bbox[3] - w.bbox[1] for w in words)[len(words) // 2]
    pieces = [[words[0]]]
    for before, word in zip(words, words[1:], strict=False):
        if word.bbox[0] - before.bbox[2] > COLUMN_GAP_HEIGHTS * height:
            pieces.append([])
        pieces[-1].append(word)
    return pieces


def reread_header(page: Page, picture: np.ndarray, engine: OcrEngine, cfg: OcrConfig) -> None:
    """Read the header's lines again, thinned and smaller, and let the readings vote.

    Bold type (the title and subject) is where Tesseract confuses marks ("ngần sách", "ưu
    tiền"); each variant misreads other words, and underthesea's word list settles the rest.
    """
    lines = [ln for b in page.blocks for ln in b.lines if ln.bbox[3] < HEADER_SHARE * picture.shape[0]]
    if not lines:
        return
    pad = PAD_PX
    crops = []
    for line in lines:
        x0, y0, x1, y1 = line.bbox
        crop = picture[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
        crops += [cv2.dilate(crop, THINNING),  # thinner strokes: marks come apart
                  cv2.resize(crop, None, fx=HEADER_SHRINK, fy=HEADER_SHRINK, interpolation=cv2.INTER_AREA)]
    results = engine.recognize_many(crops, cfg.model_copy(update={"psm": 7}))
    for i, line in enumerate(lines):
        variants = [
            [w.text for b in results[2 * i + k] for ln in b.lines for w in ln.words] for k in range(2)
        ]
        # a subject runs on to the next line: its first word, in lower case, is the last word's neighbour
        after = lines[i + 1].words[0].text if i + 1 < len(lines) and lines[i + 1].words else ""
        after = after if after[:1].islower() else ""
        chosen = choose_words([w.text for w in line.words], variants, after)
        for word, text in zip(line.words, chosen, strict=True):
            word.text = text
