"""Working state the stages hand each other in memory: page pictures and the marks found on them.

Never saved and never part of a Document's equality: a Document loaded from document.json has none,
so it can resume only at a stage that needs no pictures (after OCR). Ingest attaches it; the runner
drops it once the last stage has run, which frees the pictures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pipeline.models import Annotation, Document


@dataclass(eq=False)
class Mark:
    """A mark preprocess found (seal, stamp, pen ink), with the ink-only pictures OCR reads it from."""

    annotation: Annotation
    image: np.ndarray | None = None  # the mark's ink alone, for its text
    views: list[np.ndarray] = field(default_factory=list)  # further pictures for the digit passes


@dataclass(eq=False)
class Work:
    pictures: dict[int, np.ndarray] = field(default_factory=dict)  # page number -> page image (BGR or gray)
    turns: dict[int, int] = field(default_factory=dict)  # page number -> degrees turned clockwise so far
    marks: list[Mark] = field(default_factory=list)  # in page order, as preprocess found them
    debug_pictures: dict[int, np.ndarray] = field(default_factory=dict)  # pages with masked marks outlined

    def __eq__(self, other: object) -> bool:
        return True  # documents are equal by their contract; pictures never make two differ

    __hash__ = None  # type: ignore[assignment]


def attach(doc: Document) -> Work:
    """The document's working state, made empty if it has none."""
    if doc._work is None:
        doc._work = Work()
    return doc._work


def work_of(doc: Document) -> Work | None:
    return doc._work


def release(doc: Document) -> None:
    doc._work = None
