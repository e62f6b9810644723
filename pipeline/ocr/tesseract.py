"""Tesseract through pytesseract's ``image_to_data``: all pictures of a call in one job per worker."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import cv2
import numpy as np

from pipeline.config import OcrConfig
from pipeline.errors import MissingDependencyError
from pipeline.geometry import union_box
from pipeline.models import Block, Line, Word
from pipeline.ocr.engine import OcrEngine, register_engine

A4_300DPI_PIXELS = 2480 * 3508  # a page's worth of pixels, the unit of ocr.timeout_s


@cache
def installed_languages() -> frozenset[str]:
    """The language data Tesseract has (nothing when Tesseract is not installed)."""
    if shutil.which("tesseract") is None:
        return frozenset()
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:])


@register_engine("tesseract")
class TesseractEngine(OcrEngine):
    """Tesseract through pytesseract ``image_to_data``."""

    def languages(self) -> frozenset[str]:
        return installed_languages()

    def check(self, cfg: OcrConfig) -> None:
        if shutil.which("tesseract") is None:
            raise MissingDependencyError(
                "tesseract is not installed; run `make setup` (apt-get install tesseract-ocr)"
            )
        missing = [lang for lang in cfg.lang.split("+") if lang not in self.languages()]
        if missing:
            raise MissingDependencyError(
                f"Tesseract has no '{'+'.join(missing)}' language data; install tesseract-ocr-{missing[0]}"
            )

    def recognize_many(self, images: list[np.ndarray], cfg: OcrConfig,
                       whitelist: str | None = None) -> list[list[Block]]:
        """Pictures in one Tesseract run per worker: one model load each, not one per picture.

        Tesseract's own threads made it 3x slower on 2 cores, so each run is single-threaded and
        ``ocr.workers`` runs go side by side, each on its share of the pictures (as OCRmyPDF's
        workers do with pages). A batch that processes documents in parallel sets it to 1.
        """
        workers = min(cfg.workers or len(os.sched_getaffinity(0)), len(images))
        if workers <= 1:
            return self._run(images, cfg, whitelist)
        bounds = np.linspace(0, len(images), workers + 1).astype(int)
        shares = [images[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        with ThreadPoolExecutor(workers) as pool:
            return [blocks for share in pool.map(lambda share: self._run(share, cfg, whitelist), shares)
                    for blocks in share]

    def _run(self, images: list[np.ndarray], cfg: OcrConfig, whitelist: str | None) -> list[list[Block]]:
        """One Tesseract job over *images*, read from a list file as the pages of one document.

        They are written as BMP: pytesseract's own PNG encoding cost a fifth of a page's OCR time.
        """
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
            pages = max(1.0, sum(i.shape[0] * i.shape[1] for i in images) / A4_300DPI_PIXELS)
            data = pytesseract.image_to_data(
                source,
                lang=cfg.lang,
                config=options,
                output_type=pytesseract.Output.DICT,
                timeout=cfg.timeout_s * pages,
            )
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
