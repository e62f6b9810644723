"""OCR: words with boxes and confidence for every page that has an image.

Reads: Page.image (prepared by preprocess).
Writes: Page.blocks (blocks -> lines -> words), Page.origin = "ocr".

Engines are registered by name; a user can also point ``ocr.engine`` at "package.module:Class".
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
import unicodedata
from functools import cache
from typing import Protocol

import numpy as np

from pipeline.config import OcrConfig
from pipeline.errors import ConfigError, MissingDependencyError
from pipeline.models import Block, Document, Line, Word
from pipeline.stamp import is_stamp_text

log = logging.getLogger(__name__)


class OcrEngine(Protocol):
    name: str

    def check(self, cfg: OcrConfig) -> None: ...

    def recognize(self, image: np.ndarray, cfg: OcrConfig, whitelist: str | None = None) -> list[Block]: ...


ENGINES: dict[str, type] = {}


def register_engine(name: str):
    def decorate(cls):
        ENGINES[name] = cls
        cls.name = name
        return cls

    return decorate


def get_engine(cfg: OcrConfig) -> OcrEngine:
    """The configured engine, checked before any page is processed."""
    if cfg.engine in ENGINES:
        engine = ENGINES[cfg.engine]()
    elif ":" in cfg.engine:
        module, _, cls = cfg.engine.partition(":")
        try:
            engine = getattr(importlib.import_module(module), cls)()
        except (ImportError, AttributeError) as e:
            raise ConfigError(f"ocr.engine={cfg.engine!r} cannot be loaded: {e}") from e
    else:
        raise ConfigError(f"unknown ocr.engine {cfg.engine!r}; known: {', '.join(sorted(ENGINES))}")
    engine.check(cfg)
    return engine


def run(doc: Document, cfg: OcrConfig) -> Document:
    """Recognise every page that holds an image."""
    pages = [p for p in doc.pages if p.has_image()]
    if not pages:
        return doc
    engine = get_engine(cfg)
    for page in pages:
        page.blocks = engine.recognize(page.image, cfg)
        page.origin = "ocr"
        if cfg.upside_down_below and mean_confidence(page.blocks) < cfg.upside_down_below:
            _try_upside_down(page, engine, cfg)
    readable = [m for m in doc.annotations if m.image is not None and m.text is None
                and m.kind in ("stamp", "handwriting")]
    heights = {p.number: p.height for p in doc.pages}
    _read_marks(readable, engine, cfg)
    for mark in readable:  # a box whose frame the ink test missed is still a stamp if it says "ĐẾN"
        if mark.kind == "handwriting" and mark.text and mark.image.shape[0] > 100 and is_stamp_text(mark.text):
            mark.kind = "stamp"
    # Pen marks in the header may be a number or a day and month written into the printed blanks.
    in_header = [m for m in readable if m.kind == "handwriting" and m.page == 1
                 and m.bbox[3] < 0.3 * heights.get(1, 1) and m.image.shape[1] < 4 * m.image.shape[0]]
    _read_marks(in_header, engine, cfg, digits="0123456789")
    # The stamp's pen-written number and date, read again as digits only.
    _read_marks([m for m in readable if m.kind == "stamp"], engine, cfg, digits="0123456789/.")
    # A ruled box found in a grayscale scan is a stamp only if it says so.
    doc.annotations = [m for m in doc.annotations if m.kind != "stamp" or m.text is None or is_stamp_text(m.text)]
    return doc


def _read_marks(marks: list, engine: OcrEngine, cfg: OcrConfig, digits: str = "") -> None:
    """OCR stamps and pen notes on their own, from their ink-only crops, in one Tesseract call.

    The crops are stacked into one picture (each Tesseract call costs a model load); every line read
    goes back to the crop it lies in.
    """
    if not marks:
        return
    import cv2

    # Stamp labels are small type: twice the size reads far better.
    crops = [cv2.resize(m.image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC) for m in marks]
    gap = 60
    width = max(c.shape[1] for c in crops) + 2 * gap
    canvas = np.full((sum(c.shape[0] + gap for c in crops) + gap, width), 255, np.uint8)
    spans, y = [], gap
    for crop in crops:
        canvas[y:y + crop.shape[0], gap:gap + crop.shape[1]] = crop
        spans.append((y, y + crop.shape[0]))
        y += crop.shape[0] + gap
    blocks = engine.recognize(canvas, cfg.model_copy(update={"psm": 6}), whitelist=digits or None)
    found: dict[int, list[Line]] = {}
    for line in (ln for b in blocks for ln in b.lines):
        middle = (line.bbox[1] + line.bbox[3]) / 2
        index = next((i for i, (y0, y1) in enumerate(spans) if y0 - gap / 2 <= middle <= y1 + gap / 2), None)
        if index is not None:
            found.setdefault(index, []).append(line)
    for index, lines in found.items():
        mark = marks[index]
        conf = round(mean_confidence([Block(bbox=lines[0].bbox, lines=lines)]), 1)
        if digits:
            mark.digits, mark.digits_conf = "\n".join(ln.text.replace(" ", "") for ln in lines), conf
        else:
            mark.text, mark.conf = "\n".join(ln.text for ln in lines), conf


def mean_confidence(blocks: list[Block]) -> float:
    """Word confidence weighted by word length; 0 for a page with no words."""
    words = [w for b in blocks for ln in b.lines for w in ln.words if w.conf >= 0]
    total = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / total if total else 0.0


def _try_upside_down(page, engine: OcrEngine, cfg: OcrConfig) -> None:
    """A page read badly may be upside down: read it turned and keep the better reading."""
    import cv2

    turned = cv2.rotate(page.image, cv2.ROTATE_180)
    blocks = engine.recognize(turned, cfg)
    if mean_confidence(blocks) > mean_confidence(page.blocks) + 10:
        log.info("page %d was upside down", page.number)
        page.image, page.blocks = turned, blocks
        page.rotation = (page.rotation + 180) % 360


@cache
def _tesseract_langs() -> frozenset[str]:
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:])


@register_engine("tesseract")
class TesseractEngine:
    """Tesseract through pytesseract ``image_to_data``."""

    name = "tesseract"

    def check(self, cfg: OcrConfig) -> None:
        if shutil.which("tesseract") is None:
            raise MissingDependencyError("tesseract is not installed; run `make setup` (apt-get install tesseract-ocr)")
        missing = [lang for lang in cfg.lang.split("+") if lang not in _tesseract_langs()]
        if missing:
            raise MissingDependencyError(
                f"Tesseract has no '{'+'.join(missing)}' language data; install tesseract-ocr-{missing[0]}"
            )

    def recognize(self, image: np.ndarray, cfg: OcrConfig, whitelist: str | None = None) -> list[Block]:
        import pytesseract

        # Tesseract's own threads made it 3x slower on 2 cores; parallelism is per document instead.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        options = f"--psm {cfg.psm} -c preserve_interword_spaces=0"
        if whitelist:
            options += f" -c tessedit_char_whitelist={whitelist}"
        data = pytesseract.image_to_data(
            image,
            lang=cfg.lang,
            config=options,
            output_type=pytesseract.Output.DICT,
            timeout=cfg.timeout_s,
        )
        return blocks_from_tesseract(data, cfg.min_word_conf)


def blocks_from_tesseract(data: dict, min_conf: float = 0) -> list[Block]:
    """Map Tesseract's block/par/line/word numbering onto Block/Line/Word."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for i, text in enumerate(data["text"]):
        text = unicodedata.normalize("NFC", (text or "").strip())
        conf = float(data["conf"][i])
        if not text or conf < 0 or conf < min_conf:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(Word(text=text, bbox=(x, y, x + w, y + h), conf=conf))
    blocks: dict[int, list[Line]] = {}
    for (block_num, _, _), words in lines.items():
        blocks.setdefault(block_num, []).append(Line(bbox=_union(w.bbox for w in words), words=words))
    return [Block(bbox=_union(ln.bbox for ln in ls), lines=ls) for ls in blocks.values()]


def _union(boxes) -> tuple[int, int, int, int]:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
