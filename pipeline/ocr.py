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
    for mark in doc.annotations:
        if mark.image is not None and mark.text is None and mark.kind in ("stamp", "handwriting"):
            _read_mark(mark, engine, cfg)
    return doc


def _read_mark(mark, engine: OcrEngine, cfg: OcrConfig) -> None:
    """OCR a stamp or pen note on its own, from its ink-only crop."""
    import cv2

    # Stamp labels are small type: twice the size reads far better.
    crop = cv2.resize(mark.image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    crop = cv2.copyMakeBorder(crop, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=255)
    blocks = engine.recognize(crop, cfg.model_copy(update={"psm": 6}))
    lines = [ln.text for b in blocks for ln in b.lines]
    if lines:
        mark.text = "\n".join(lines)
        mark.conf = round(mean_confidence(blocks), 1)
    if mark.kind == "handwriting" and mark.image.shape[1] < 4 * mark.image.shape[0]:
        # Short pen marks may be a number or a date written into the header: read digits only.
        digit_cfg = cfg.model_copy(update={"psm": 7})
        blocks = engine.recognize(crop, digit_cfg, whitelist="0123456789")
        digits = "".join(w.text for b in blocks for ln in b.lines for w in ln.words)
        if digits:
            mark.digits, mark.digits_conf = digits, round(mean_confidence(blocks), 1)


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
