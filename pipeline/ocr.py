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
import tempfile
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Protocol

import numpy as np

from pipeline.config import OcrConfig
from pipeline.errors import ConfigError, MissingDependencyError
from pipeline.models import Block, Document, Line, Word, centre_inside, union_box, word_confidence
from pipeline.pen import row_pieces, settle_baselines
from pipeline.reread import reread_column_pieces, reread_header
from pipeline.stamp import figure_date, is_stamp_text

log = logging.getLogger(__name__)


class OcrEngine(Protocol):
    name: str

    def check(self, cfg: OcrConfig) -> None: ...

    def recognize(self, image: np.ndarray, cfg: OcrConfig, whitelist: str | None = None) -> list[Block]: ...

    def recognize_many(self, images: list[np.ndarray], cfg: OcrConfig,
                       whitelist: str | None = None) -> list[list[Block]]: ...


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
    if not hasattr(engine, "recognize_many"):  # a plug-in engine may read one picture at a time
        engine.recognize_many = lambda images, cfg, whitelist=None: [engine.recognize(i, cfg, whitelist) for i in images]
    return engine


def run(doc: Document, cfg: OcrConfig) -> Document:
    """Recognise every page that holds an image."""
    pages = [p for p in doc.pages if p.has_image()]
    if not pages:
        return doc
    engine = get_engine(cfg)
    for page, blocks in zip(pages, engine.recognize_many([p.image for p in pages], cfg)):
        page.blocks = blocks
        page.origin = "ocr"
        if cfg.upside_down_below and mean_confidence(page.blocks) < cfg.upside_down_below:
            _try_upside_down(page, engine, cfg)
    if cfg.reread_column_pieces:
        reread_column_pieces(pages, engine, cfg)
    if cfg.reread_header_lines:
        reread_header(pages[0], engine, cfg)
    _absorb_figures(doc)
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
    _read_lone_figures([m for m in in_header if not (m.digits or "").strip()], engine, cfg)
    _read_stamp_figures(readable, engine, cfg)
    # A ruled box found in a grayscale scan is a stamp only if it says so, or holds a pen-written
    # date (its print, whitened from the crop, cannot; its "ĐẾN" may have gone with the print).
    doc.annotations = [m for m in doc.annotations
                       if m.kind != "stamp" or m.ink_removed or m.text is None or is_stamp_text(m.text)
                       or _holds_date(m)]
    return doc


def _read_stamp_figures(readable: list, engine: OcrEngine, cfg: OcrConfig) -> None:
    """The stamp's pen-written number and date, read again as digits only at several sizes, whole
    and row piece by row piece: each size misreads different strokes, so the readings are voted on
    (see stamp.vote_figures). The pieces, a figure or two alone on a line, are read by the Latin
    model (``ocr.stamp_piece_lang``): with no Vietnamese words to expect it misreads a pen's figures
    less, and its errors differ from the Vietnamese model's on the whole picture.

    Stamp-sized ink of three rows or more whose "ĐẾN" was misread ("UHỨN" in a faded stamp with a
    broken frame) is a stamp if its figures hold a date: read with the stamps, kept only then. Only
    where no stamp was found: a pen note with a date beside the stamp is a note.
    """
    stamps = [m for m in readable if m.kind == "stamp"]
    unsure = [] if stamps else [m for m in readable if m.kind == "handwriting" and m.views
                                and (m.text or "").count("\n") >= 2]
    stamps += unsure
    if not stamps:
        return
    # each picture's figures set on their rows' baselines once, then read whole and piece by piece
    pictures = [[settle_baselines(p) if cfg.stamp_settle_baselines else p for p in [m.image, *m.views]]
                for m in stamps]
    _read_marks(stamps, engine, cfg, digits="0123456789/.", scales=cfg.stamp_digit_scales,
                deskew=cfg.stamp_deskew, pictures=pictures)
    if cfg.stamp_row_pieces:
        lang = cfg.stamp_piece_lang if cfg.stamp_piece_lang in _tesseract_langs() else cfg.lang
        _read_figure_rows(stamps, pictures, engine, cfg.model_copy(update={"lang": lang}))
    for mark in unsure:
        if _holds_date(mark):
            mark.kind = "stamp"
        else:
            mark.readings, mark.digits, mark.digits_conf = [], None, None


def _holds_date(mark) -> bool:
    """A digit-only reading of *mark* holds a whole date: the pen's registration date."""
    return any(figure_date(line) for reading in mark.readings for line, _ in reading)


def _absorb_figures(doc: Document) -> None:
    """Pen ink inside a stamp's box is the stamp's own figures: read with the stamp, not apart."""
    stamps = [m for m in doc.annotations if m.kind == "stamp" and m.bbox]

    def inside(mark) -> bool:
        return any(s.page == mark.page and centre_inside(mark.bbox, s.bbox) for s in stamps)

    doc.annotations = [m for m in doc.annotations if m.kind != "handwriting" or not m.bbox or not inside(m)]


def _read_lone_figures(marks: list, engine: OcrEngine, cfg: OcrConfig) -> None:
    """A lone pen figure ("4" in "tháng 4") the Vietnamese model reads as nothing.

    Tesseract's model reads lines; a single glyph gets no context. The Latin model
    (``ocr.lone_figure_lang``), on the glyph in black and white as one line at three sizes, reads
    it, and the sizes vote.
    """
    if not marks or not cfg.lone_figure_lang or cfg.lone_figure_lang not in _tesseract_langs():
        return
    _read_marks(marks, engine, cfg.model_copy(update={"lang": cfg.lone_figure_lang}), digits="0123456789",
                scales=(0.3, 0.5, 0.75), psm=7, binarize=True)
    for mark in marks:
        votes = Counter(text for reading in mark.readings for text, _ in reading[:1] if text)
        if votes:
            mark.digits = votes.most_common(1)[0][0]
            mark.digits_conf = round(min(100.0, 100 * votes[mark.digits] / len(mark.readings)), 1)


def _read_marks(marks: list, engine: OcrEngine, cfg: OcrConfig, digits: str = "",
                scales: tuple[float, ...] | list[float] = (2.0,), deskew: bool = False, psm: int = 6,
                binarize: bool = False, pictures: list[list[np.ndarray]] | None = None) -> None:
    """OCR stamps and pen notes on their own, from their ink-only crops, in one engine call.

    A text pass sets ``text`` from the first scale; a digit-only pass sets ``digits`` from the
    first scale and ``readings`` from every scale, every further view of the mark (``views``) and,
    with *deskew*, from each picture levelled to its own tilt too. *pictures* (per mark) replace
    the mark's own image and views.
    """
    if not marks:
        return
    import cv2

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
    for (i, _), blocks in zip(jobs, results):
        mark = marks[i]
        lines = [ln for b in blocks for ln in b.lines]
        if not lines:
            continue
        conf = round(word_confidence([w for ln in lines for w in ln.words]), 1)
        if not digits:
            if mark.text is None:
                mark.text, mark.conf = "\n".join(ln.text for ln in lines), conf
            continue
        reading = [(_figure_groups(ln), word_confidence(ln.words)) for ln in lines]
        mark.readings.append(reading)
        if mark.digits is None:
            mark.digits, mark.digits_conf = "\n".join(text for text, _ in reading), conf


def _read_figure_rows(marks: list, pictures: list[list[np.ndarray]], engine: OcrEngine, cfg: OcrConfig,
                      pad: int = 12) -> None:
    """A stamp's rows read piece by piece as single lines, digits only, each picture and size.

    Read as one block, a figure shares Tesseract's line model with the labels and print remnants
    around it and is misread more often ("1305" as "1805"); read alone, far less. Each picture and
    size gives one reading: its rows top first, each row its pieces apart (see stamp.vote_figures).
    """
    jobs: list[tuple[tuple[int, int, int, int], np.ndarray]] = []
    # The pictures as they are: levelled ones added as many readings again for one more right of
    # 48 in benchmarks/stamps.py, at twice the cost.
    for i, mark_pictures in enumerate(pictures):
        for k, picture in enumerate(mark_pictures):
            for r, row in enumerate(row_pieces(picture)):
                for x0, y0, x1, y1 in row:
                    piece = picture[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
                    jobs += [((i, k, j, r), _scaled(piece, s, pad)) for j, s in enumerate(cfg.stamp_digit_scales)]
    results = engine.recognize_many([crop for _, crop in jobs], cfg.model_copy(update={"psm": 7}),
                                    whitelist="0123456789/.")
    rows: dict[tuple[int, int, int, int], list[tuple[str, float]]] = {}
    for key, blocks in zip((key for key, _ in jobs), results):
        words = [w for b in blocks for ln in b.lines for w in ln.words]
        if words:
            rows.setdefault(key, []).append(("".join(w.text for w in words), word_confidence(words)))
    readings: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for (i, k, j, _), pieces in rows.items():
        best = max(conf for _, conf in pieces)
        readings.setdefault((i, k, j), []).append((" ".join(text for text, _ in pieces), best))
    for (i, _, _), reading in readings.items():
        marks[i].readings.append(reading)


def _scaled(picture: np.ndarray, scale: float, pad: int) -> np.ndarray:
    """*picture* resized by *scale*, with *pad* pixels of white round it."""
    import cv2

    crop = cv2.resize(picture, None, fx=scale, fy=scale,
                      interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    return cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def _figure_groups(line: Line) -> str:
    """A digit-only line with its words joined where a pen's gap split a figure ("1 9/02/2025"),
    apart where the gap is wider than a figure's height (a label or a print remnant beside it)."""
    height = float(np.median([w.bbox[3] - w.bbox[1] for w in line.words]))
    text = line.words[0].text
    for before, word in zip(line.words, line.words[1:]):
        text += (" " if word.bbox[0] - before.bbox[2] > 0.8 * height else "") + word.text
    return text


def _levelled(image: np.ndarray) -> np.ndarray:
    """A stamp sits a few degrees off the page: the crop turned to its own rows."""
    from pipeline.preprocess.geometry import estimate_skew, rotate

    angle = estimate_skew(image, 5.0)
    return rotate(image, angle) if abs(angle) >= 0.2 else image


def mean_confidence(blocks: list[Block]) -> float:
    """Word confidence weighted by word length; 0 for a page with no words."""
    return word_confidence([w for b in blocks for ln in b.lines for w in ln.words])


def _try_upside_down(page, engine: OcrEngine, cfg: OcrConfig) -> None:
    """A page read badly may be upside down: read it turned and keep the better reading."""
    import cv2

    turned = cv2.rotate(page.image, cv2.ROTATE_180)
    blocks = engine.recognize(turned, cfg)
    if mean_confidence(blocks) > mean_confidence(page.blocks) + 10:
        log.info("page %d was upside down", page.number)
        page.image, page.blocks = turned, blocks
        page.rotation = (page.rotation + 180) % 360


_A4_300DPI_PIXELS = 2480 * 3508


def _workers(cfg: OcrConfig) -> int:
    return cfg.workers or len(os.sched_getaffinity(0))


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
        return self.recognize_many([image], cfg, whitelist)[0]

    def recognize_many(self, images: list[np.ndarray], cfg: OcrConfig,
                       whitelist: str | None = None) -> list[list[Block]]:
        """Pictures in one Tesseract run per worker: one model load each, not one per picture.

        Tesseract's own threads made it 3x slower on 2 cores, so each run is single-threaded and
        ``ocr.workers`` runs go side by side, each on its share of the pictures (as OCRmyPDF's
        workers do with pages). A batch that processes documents in parallel sets it to 1.
        """
        workers = min(_workers(cfg), len(images))
        if workers <= 1:
            return self._run(images, cfg, whitelist)
        bounds = np.linspace(0, len(images), workers + 1).astype(int)
        shares = [images[a:b] for a, b in zip(bounds, bounds[1:])]
        with ThreadPoolExecutor(workers) as pool:
            return [blocks for share in pool.map(lambda share: self._run(share, cfg, whitelist), shares)
                    for blocks in share]

    def _run(self, images: list[np.ndarray], cfg: OcrConfig, whitelist: str | None) -> list[list[Block]]:
        """One Tesseract job over *images*, read from a list file as the pages of one document.

        They are written as BMP: pytesseract's own PNG encoding cost a fifth of a page's OCR time.
        """
        import cv2
        import pytesseract

        if not images:
            return []
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        with tempfile.TemporaryDirectory(prefix="pipeline-ocr-") as tmp:
            paths = []
            for i, image in enumerate(images):
                paths.append(os.path.join(tmp, f"{i:04d}.bmp"))
                cv2.imwrite(paths[-1], image)
            source = paths[0]
            if len(paths) > 1:
                source = os.path.join(tmp, "images.txt")
                with open(source, "w", encoding="utf-8") as f:
                    f.write("\n".join(paths) + "\n")
            options = f"--psm {cfg.psm} -c preserve_interword_spaces=0"
            if whitelist:
                options += f" -c tessedit_char_whitelist={whitelist}"
            # the time limit is a page's; a job of many pictures gets as many pages' worth of pixels
            pages = max(1.0, sum(i.shape[0] * i.shape[1] for i in images) / _A4_300DPI_PIXELS)
            data = pytesseract.image_to_data(source, lang=cfg.lang, config=options,
                                             output_type=pytesseract.Output.DICT, timeout=cfg.timeout_s * pages)
        per_page: list[dict] = [{key: [] for key in data} for _ in images]
        for i, page_num in enumerate(data["page_num"]):
            if 1 <= page_num <= len(images):
                for key in data:
                    per_page[page_num - 1][key].append(data[key][i])
        return [blocks_from_tesseract(d, cfg.min_word_conf) for d in per_page]


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
        blocks.setdefault(block_num, []).append(Line(bbox=union_box(w.bbox for w in words), words=words))
    return [Block(bbox=union_box(ln.bbox for ln in ls), lines=ls) for ls in blocks.values()]
