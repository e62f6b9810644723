"""Reading the marks preprocess masked: stamps and pen notes from their ink-only pictures, the pen
figures of the "ĐẾN" stamp and of the header's blanks digit by digit, at several sizes."""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np

from pipeline.config import OcrConfig
from pipeline.geometry import centre_inside
from pipeline.lang.dates import figure_date
from pipeline.lang.stamps import is_stamp_text
from pipeline.models import Line
from pipeline.ocr.engine import OcrEngine, word_confidence
from pipeline.ocr.pen import row_pieces, settle_baselines
from pipeline.ocr.reread import HEADER_SHARE
from pipeline.preprocess.alignment import estimate_skew, rotate
from pipeline.work import Mark

DIGITS = "0123456789"
FIGURES = DIGITS + "/."  # a stamp's number and date
WIDEST_BLANK_FIGURE = 4  # a figure in a blank is at most this many times wider than high
STAMP_TEXT_MIN_PX = 100  # a mark lower than this cannot hold the stamp's rows of labels
UNSURE_STAMP_ROWS = 3  # a faded stamp whose "ĐẾN" was misread still reads as this many rows
TEXT_SCALE = 2.0  # marks are read for their text at twice their size
LONE_FIGURE_SCALES = (0.3, 0.5, 0.75)
PIECE_PAD_PX = 12  # white round a row piece, as Tesseract wants round a line
GAP_IN_FIGURE = 0.8  # a gap narrower than this many figure heights is inside one figure
LEVEL_ABOVE_DEG = 0.2  # a stamp tilted less than this is read as it is
STAMP_MAX_TILT_DEG = 5.0


def read_marks(
    marks: list[Mark], page_heights: dict[int, int], engine: OcrEngine, cfg: OcrConfig
) -> list[Mark]:
    """Read every mark; return those that stay marks, in their order.

    Pen ink inside a stamp's box is the stamp's own figures, read with it; a ruled box found in a
    grayscale scan is a stamp only if it says so, or holds a pen-written date.
    """
    marks = _absorb_figures(marks)
    readable = [m for m in marks if m.image is not None and m.annotation.text is None
                and m.annotation.kind in ("stamp", "handwriting")]
    _read_marks(readable, engine, cfg)
    # a form field is drawn as print at 300 dpi: read as it is, as one line
    _read_marks([m for m in marks if m.annotation.kind == "field"], engine, cfg, scales=(1.0,), psm=7)
    for mark in readable:  # a box whose frame the ink test missed is still a stamp if it says "ĐẾN"
        a = mark.annotation
        if (
            a.kind == "handwriting"
            and a.text
            and mark.image.shape[0] > STAMP_TEXT_MIN_PX
            and is_stamp_text(a.text)
        ):
            a.kind = "stamp"
    # Pen marks in the header may be a number or a day and month written into the printed blanks.
    header_line = HEADER_SHARE * page_heights.get(1, 1)
    in_header = [m for m in readable if m.annotation.kind == "handwriting" and m.annotation.page == 1
                 and m.annotation.bbox[3] < header_line
                 and m.image.shape[1] < WIDEST_BLANK_FIGURE * m.image.shape[0]]
    _read_marks(in_header, engine, cfg, digits=DIGITS)
    _read_lone_figures([m for m in in_header if not (m.annotation.digits or "").strip()], engine, cfg)
    _read_stamp_figures(readable, engine, cfg)
    return [m for m in marks
            if m.annotation.kind != "stamp" or m.annotation.ink_removed or m.annotation.text is None
            or is_stamp_text(m.annotation.text) or _holds_date(m)]


def _read_stamp_figures(readable: list[Mark], engine: OcrEngine, cfg: OcrConfig) -> None:
    """The stamp's pen-written number and date, read again as digits only at several sizes, whole
    and row piece by row piece: each size misreads different strokes, so the readings are voted on
    (see segment.registration). The pieces, a figure or two alone on a line, are read by the Latin
    model (``ocr.stamp_piece_lang``): with no Vietnamese words to expect it misreads a pen's figures
    less, and its errors differ from the Vietnamese model's on the whole picture.

    Stamp-sized ink of three rows or more whose "ĐẾN" was misread ("UHỨN" in a faded stamp with a
    broken frame) is a stamp if its figures hold a date: read with the stamps, kept only then. Only
    where no stamp was found: a pen note with a date beside the stamp is a note.
    """
    stamps = [m for m in readable if m.annotation.kind == "stamp"]
    unsure = [] if stamps else [m for m in readable if m.annotation.kind == "handwriting" and m.views
                                and (m.annotation.text or "").count("\n") >= UNSURE_STAMP_ROWS - 1]
    stamps += unsure
    if not stamps:
        return
    # each picture's figures set on their rows' baselines once, then read whole and piece by piece
    pictures = [[settle_baselines(p) if cfg.stamp_settle_baselines else p for p in [m.image, *m.views]]
                for m in stamps]
    _read_marks(stamps, engine, cfg, digits=FIGURES, scales=cfg.stamp_digit_scales,
                deskew=cfg.stamp_deskew, pictures=pictures)
    if cfg.stamp_row_pieces:
        lang = engine.language_or(cfg.stamp_piece_lang, cfg)
        _read_figure_rows(stamps, pictures, engine, cfg.model_copy(update={"lang": lang}))
    for mark in unsure:
        a = mark.annotation
        if _holds_date(mark):
            a.kind = "stamp"
        else:
            a.readings, a.digits, a.digits_conf = [], None, None


def _holds_date(mark: Mark) -> bool:
    """A digit-only reading of *mark* holds a whole date: the pen's registration date."""
    return any(figure_date(line) for reading in mark.annotation.readings for line, _ in reading)


def _absorb_figures(marks: list[Mark]) -> list[Mark]:
    """Pen ink inside a stamp's box is the stamp's own figures: read with the stamp, not apart."""
    stamps = [m.annotation for m in marks if m.annotation.kind == "stamp" and m.annotation.bbox]

    def inside(a) -> bool:
        return any(s.page == a.page and centre_inside(a.bbox, s.bbox) for s in stamps)

    return [m for m in marks if m.annotation.kind != "handwriting" or not m.annotation.bbox
            or not inside(m.annotation)]


def _read_lone_figures(marks: list[Mark], engine: OcrEngine, cfg: OcrConfig) -> None:
    """A lone pen figure ("4" in "tháng 4") the Vietnamese model reads as nothing.

    Tesseract's model reads lines; a single glyph gets no context. The Latin model
    (``ocr.lone_figure_lang``), on the glyph in black and white as one line at three sizes, reads
    it, and the sizes vote.
    """
    if not marks or not cfg.lone_figure_lang or cfg.lone_figure_lang not in engine.languages():
        return
    _read_marks(marks, engine, cfg.model_copy(update={"lang": cfg.lone_figure_lang}), digits=DIGITS,
                scales=LONE_FIGURE_SCALES, psm=7, binarize=True)
    for mark in marks:
        a = mark.annotation
        votes = Counter(text for reading in a.readings for text, _ in reading[:1] if text)
        if votes:
            a.digits = votes.most_common(1)[0][0]
            a.digits_conf = round(min(100.0, 100 * votes[a.digits] / len(a.readings)), 1)


def _read_marks(marks: list[Mark], engine: OcrEngine, cfg: OcrConfig, digits: str = "",
                scales: tuple[float, ...] | list[float] = (TEXT_SCALE,), deskew: bool = False, psm: int = 6,
                binarize: bool = False, pictures: list[list[np.ndarray]] | None = None) -> None:
    """OCR stamps and pen notes on their own, from their ink-only crops, in one engine call.

    A text pass sets ``text`` from the first scale; a digit-only pass sets ``digits`` from the
    first scale and ``readings`` from every scale, every further view of the mark (``views``) and,
    with *deskew*, from each picture levelled to its own tilt too. *pictures* (per mark) replace
    the mark's own image and views.
    """
    if not marks:
        return
    pad = 20 if psm == 7 else 0  # a line read alone needs white around it
    jobs: list[tuple[int, np.ndarray]] = []
    for i, mark in enumerate(marks):
        for picture in pictures[i] if pictures else [mark.image, *(mark.views if digits else [])]:
            if binarize:
                picture = cv2.threshold(picture, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
            for p in [picture, _levelled(picture)] if deskew else [picture]:
                jobs += [(i, _scaled(p, s, pad)) for s in scales]
    results = engine.recognize_many([crop for _, crop in jobs], cfg.model_copy(update={"psm": psm}),
                                    whitelist=digits or None)
    for (i, _), blocks in zip(jobs, results, strict=True):
        a = marks[i].annotation
        lines = [ln for b in blocks for ln in b.lines]
        if not lines:
            continue
        conf = round(word_confidence([w for ln in lines for w in ln.words]), 1)
        if not digits:
            if a.text is None:
                a.text, a.conf = "\n".join(ln.text for ln in lines), conf
            continue
        reading = [(_figure_groups(ln), word_confidence(ln.words)) for ln in lines]
        a.readings.append(reading)
        if a.digits is None:
            a.digits, a.digits_conf = "\n".join(text for text, _ in reading), conf


def _read_figure_rows(marks: list[Mark], pictures: list[list[np.ndarray]], engine: OcrEngine, cfg: OcrConfig,
                      pad: int = PIECE_PAD_PX) -> None:
    """A stamp's rows read piece by piece as single lines, digits only, each picture and size.

    Read as one block, a figure shares Tesseract's line model with the labels and print remnants
    around it and is misread more often ("1305" as "1805"); read alone, far less. Each picture and
    size gives one reading: its rows top first, each row its pieces apart (see segment.registration).
    """
    jobs: list[tuple[tuple[int, int, int, int], np.ndarray]] = []
    # The pictures as they are: levelled ones added as many readings again for one more right of
    # 48 in benchmarks/stamps.py, at twice the cost.
    for i, mark_pictures in enumerate(pictures):
        for k, picture in enumerate(mark_pictures):
            for r, row in enumerate(row_pieces(picture)):
                for x0, y0, x1, y1 in row:
                    piece = picture[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
                    jobs += [
                        ((i, k, j, r), _scaled(piece, s, pad)) for j, s in enumerate(cfg.stamp_digit_scales)
                    ]
    results = engine.recognize_many([crop for _, crop in jobs], cfg.model_copy(update={"psm": 7}),
                                    whitelist=FIGURES)
    rows: dict[tuple[int, int, int, int], list[tuple[str, float]]] = {}
    for key, blocks in zip((key for key, _ in jobs), results, strict=True):
        words = [w for b in blocks for ln in b.lines for w in ln.words]
        if words:
            rows.setdefault(key, []).append(("".join(w.text for w in words), word_confidence(words)))
    readings: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for (i, k, j, _), pieces in rows.items():
        best = max(conf for _, conf in pieces)
        readings.setdefault((i, k, j), []).append((" ".join(text for text, _ in pieces), best))
    for (i, _, _), reading in readings.items():
        marks[i].annotation.readings.append(reading)


def _scaled(picture: np.ndarray, scale: float, pad: int) -> np.ndarray:
    """*picture* resized by *scale*, with *pad* pixels of white round it."""
    crop = cv2.resize(picture, None, fx=scale, fy=scale,
                      interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    return cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def _figure_groups(line: Line) -> str:
    """A digit-only line with its words joined where a pen's gap split a figure ("1 9/02/2025"),
    apart where the gap is wider than a figure's height (a label or a print remnant beside it)."""
    height = float(np.median([w.bbox[3] - w.bbox[1] for w in line.words]))
    text = line.words[0].text
    for before, word in zip(line.words, line.words[1:], strict=False):
        text += (" " if word.bbox[0] - before.bbox[2] > GAP_IN_FIGURE * height else "") + word.text
    return text


def _levelled(image: np.ndarray) -> np.ndarray:
    """A stamp sits a few degrees off the page: the crop turned to its own rows."""
    angle = estimate_skew(image, STAMP_MAX_TILT_DEG)
    return rotate(image, angle) if abs(angle) >= LEVEL_ABOVE_DEG else image

