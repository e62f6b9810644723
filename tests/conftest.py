"""Shared fixtures: sample paths, hand-built Documents, fake OCR engines, Tesseract detection, no network.

Tests marked ``ocr`` need the tesseract binary with its ``vie`` data and are skipped without it;
every other test runs with no Tesseract on PATH.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import Config, load_config
from pipeline.lang.lists import Lists, load_lists
from pipeline.models import Block, Document, Line, Page, SourceInfo, Word
from pipeline.ocr.engine import ENGINES, OcrEngine

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


def _has_vie() -> bool:
    if shutil.which("tesseract") is None:
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    return "vie" in out.split()


HAVE_TESSERACT = _has_vie()


def pytest_collection_modifyitems(config, items):
    if HAVE_TESSERACT:
        return
    skip = pytest.mark.skip(reason="tesseract with 'vie' not installed")
    for item in items:
        if item.get_closest_marker("ocr"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing may download at run time: any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise RuntimeError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="session")
def cfg() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def lists(cfg) -> Lists:
    return load_lists(cfg.lists)


class FakeEngine(OcrEngine):
    """An OCR engine for tests: ``read(image, cfg, whitelist)`` gives each picture's blocks. Every
    call is remembered in ``calls`` as (number of pictures, lang, psm, whitelist), every picture's
    shape in ``shapes``."""

    name = "fake"

    def __init__(self, read: Callable | None = None, langs=("vie", "eng")):
        self.read = read or (lambda image, cfg, whitelist: [])
        self.langs = frozenset(langs)
        self.calls: list[tuple] = []
        self.shapes: list[tuple] = []

    def languages(self) -> frozenset[str]:
        return self.langs

    def recognize_many(self, images, cfg, whitelist=None):
        self.calls.append((len(images), cfg.lang, cfg.psm, whitelist))
        self.shapes += [image.shape for image in images]
        return [self.read(image, cfg, whitelist) for image in images]


class CrashEngine(OcrEngine):
    """An OCR engine that fails on every picture, as a broken install would."""

    name = "crash"

    def languages(self) -> frozenset[str]:
        return frozenset({"vie", "eng"})

    def recognize(self, image, cfg, whitelist=None):
        raise RuntimeError("engine crashed")


class OneAtATimeEngine(OcrEngine):
    """A plug-in engine with only ``recognize``: it reads every picture as the figure "4127"."""

    def languages(self) -> frozenset[str]:
        return frozenset({"vie"})

    def recognize(self, image, cfg, whitelist=None):
        word = Word(text="4127", bbox=(0, 0, 10, 10), conf=90.0)
        return [Block(bbox=word.bbox, lines=[Line(bbox=word.bbox, words=[word])])]


@pytest.fixture
def use_engine(monkeypatch):
    """Register *engine* under a name; returns that name for ``ocr.engine``."""

    def register(engine: OcrEngine, name: str = "fake") -> str:
        monkeypatch.setitem(ENGINES, name, lambda: engine)
        return name

    return register


def line_of(*words: tuple[str, int, int, float], y: int = 100, h: int = 40) -> Line:
    """A line of (text, x0, x1, confidence) words at height *y*."""
    ws = [Word(text=t, bbox=(x0, y, x1, y + h), conf=c) for t, x0, x1, c in words]
    return Line(bbox=(ws[0].bbox[0], y, ws[-1].bbox[2], y + h), words=ws)


def blocks_of(*lines: Line) -> list[Block]:
    return [Block(bbox=(0, 0, 1, 1), lines=list(lines))]


def doc_from_lines(lines: list[str]) -> Document:
    """A Document as ingest gives a text file: one page, a line per non-empty line, no geometry."""
    doc = Document(doc_id="test", source=SourceInfo(path="test.txt", sha256="0", kind="text"))
    rows = [
        Line(line_no=i, words=[Word(text=w) for w in t.split()]) for i, t in enumerate(lines, 1) if t.strip()
    ]
    doc.pages = [Page(number=1, origin="text", blocks=[Block(lines=rows)])]
    return doc


def scan_doc(*pages: Page) -> Document:
    doc = Document(doc_id="scan", source=SourceInfo(path="scan.pdf", sha256="0", kind="pdf-scan"))
    doc.pages = list(pages)
    return doc


def run_text_stages(lines: list[str]) -> Document:
    from pipeline import clean, extract, segment

    config = load_config()
    doc = clean.run(doc_from_lines(lines), config)
    doc = segment.run(doc, config)
    return extract.run(doc, config)


def blank_picture(height: int = 3508, width: int = 2480) -> np.ndarray:
    return np.full((height, width), 255, np.uint8)
