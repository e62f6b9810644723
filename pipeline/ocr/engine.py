"""The OCR engine contract: a small base class, a registry by name, and loading by dotted path."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import numpy as np

from pipeline.config import OcrConfig
from pipeline.errors import ConfigError, MissingDependencyError
from pipeline.models import Block, Word


class OcrEngine:
    """An engine reads pictures into blocks -> lines -> words with boxes and confidences.

    A subclass implements ``recognize`` (one picture) or ``recognize_many`` (a batch, one model load)
    and says which language models it has in ``languages``; ``check`` runs before any page is read.
    *whitelist* is the set of characters a picture may hold (digits for pen figures), or None.
    """

    name = "engine"

    def languages(self) -> frozenset[str]:
        """The language models this engine can read with ("vie", "eng")."""
        return frozenset()

    def check(self, cfg: OcrConfig) -> None:
        """Raise MissingDependencyError when the engine cannot read with *cfg*."""
        missing = [lang for lang in cfg.lang.split("+") if lang not in self.languages()]
        if missing:
            raise MissingDependencyError(
                f"the {self.name} engine has no '{'+'.join(missing)}' language model"
            )

    def recognize(self, image: np.ndarray, cfg: OcrConfig, whitelist: str | None = None) -> list[Block]:
        return self.recognize_many([image], cfg, whitelist)[0]

    def recognize_many(self, images: list[np.ndarray], cfg: OcrConfig,
                       whitelist: str | None = None) -> list[list[Block]]:
        if type(self).recognize is OcrEngine.recognize:
            raise NotImplementedError(
                f"{type(self).__name__} implements neither recognize nor recognize_many"
            )
        return [self.recognize(image, cfg, whitelist) for image in images]

    def language_or(self, wanted: str, cfg: OcrConfig) -> str:
        """*wanted* when the engine has that model, else the page's model (``ocr.lang``)."""
        return wanted if wanted and wanted in self.languages() else cfg.lang


ENGINES: dict[str, Callable[[], OcrEngine]] = {}


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
    if not isinstance(engine, OcrEngine):
        raise ConfigError(f"ocr.engine={cfg.engine!r} is no subclass of pipeline.ocr.engine.OcrEngine")
    engine.check(cfg)
    return engine


def word_confidence(words: list[Word]) -> float:
    """Tesseract's confidence weighted by word length; 0 when no word has one."""
    words = [w for w in words if w.conf >= 0]
    total = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / total if total else 0.0


def mean_confidence(blocks: list[Block]) -> float:
    """Word confidence weighted by word length; 0 for a page with no words."""
    return word_confidence([w for b in blocks for ln in b.lines for w in ln.words])
