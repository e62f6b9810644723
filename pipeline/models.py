"""The typed Document that flows through every stage, and the records the output contract names.

Geometry follows docTR's tree (pages -> blocks -> lines -> words); provenance follows Docling: every
paragraph and extracted field points back to a page and box (or a line of a text file) with a
confidence, so a person can check it against the scan.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

BBox = tuple[int, int, int, int]  # x0, y0, x1, y1 in page-image pixels, origin top left


def union_box(boxes) -> BBox:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def word_confidence(words: list[Word]) -> float:
    """Tesseract's confidence weighted by word length; 0 when no word has one."""
    words = [w for w in words if w.conf >= 0]
    total = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / total if total else 0.0


def centre_inside(box: BBox, other: BBox) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return other[0] <= x <= other[2] and other[1] <= y <= other[3]


class _Model(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)


class Word(_Model):
    text: str
    bbox: BBox
    conf: float = -1.0  # Tesseract's 0-100; -1 when unknown (text layer, text file)


class Line(_Model):
    bbox: BBox
    words: list[Word] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def conf(self) -> float:
        known = [w.conf for w in self.words if w.conf >= 0]
        return sum(known) / len(known) if known else -1.0


class Block(_Model):
    bbox: BBox
    lines: list[Line] = Field(default_factory=list)


class Page(_Model):
    number: int  # 1-based
    width: int = 0
    height: int = 0
    dpi: int = 0
    origin: Literal["text_layer", "ocr", "text"] = "ocr"
    rotation: int = 0  # degrees turned clockwise to make the page upright
    skew_deg: float = 0.0
    blocks: list[Block] = Field(default_factory=list)
    image: Any = Field(default=None, exclude=True)  # np.ndarray (BGR or gray), never serialised
    debug_image: Any = Field(default=None, exclude=True)  # page with masked marks outlined (--debug)

    def has_image(self) -> bool:
        return isinstance(self.image, np.ndarray)


class SourceInfo(_Model):
    path: str
    sha256: str
    pages: int = 0
    kind: Literal["pdf-scan", "pdf-text", "image", "text"]


class Issue(_Model):
    stage: str
    severity: Literal["warning", "error"] = "warning"
    message: str
    page: int | None = None


class Paragraph(_Model):
    """One logical paragraph of the text, with where it came from on the scan."""

    text: str
    page: int
    bbox: BBox | None = None  # union of its lines on the first page; None for text-file input
    line_no: int | None = None  # 1-based line in a text-file input
    conf: float = -1.0  # mean word confidence 0-100, -1 unknown
    centered: bool = False  # both margins indented (titles, subject lines, signer column)
    column: Literal["full", "left", "right"] = "full"
    handwritten: list[str] = Field(default_factory=list)  # pen-written pieces inside the print ("2774")
    start: int = 0  # character offsets into Document.text
    end: int = 0


class Annotation(_Model):
    kind: Literal["handwriting", "seal", "stamp"]
    text: str | None = None
    page: int
    bbox: BBox | None = None
    conf: float | None = None  # OCR confidence of text, 0-100
    digits: str | None = None  # a digit-only reading, for numbers and dates written into the header
    digits_conf: float | None = None
    image: Any = Field(default=None, exclude=True)  # ink-only crop for the OCR stage
    views: list[Any] = Field(default_factory=list, exclude=True)  # further pictures for the digit passes
    # Found by its colour and whitened from the page: nothing of it is left for the page's OCR.
    # A ruled box found in grayscale is a stamp only if it says so.
    ink_removed: bool = Field(default=False, exclude=True)
    # digit-only readings at several sizes: each a list of (line, confidence 0-100)
    readings: list[list[tuple[str, float]]] = Field(default_factory=list, exclude=True)


class Registration(_Model):
    receiver: str | None = None
    number: str | None = None
    date: str | None = None
    forwarded_to: str | None = None
    file_no: str | None = None
    day_month: tuple[int, int] | None = Field(default=None, exclude=True)  # when only the year is illegible
    votes: dict[str, dict[str, float]] = Field(default_factory=dict, exclude=True)  # figure -> weight, per field


class Signer(_Model):
    lines: list[str] = Field(default_factory=list)
    name: str | None = None


class Metadata(_Model):
    issuer_parent: str | None = None
    issuer: str | None = None
    number: str | None = None
    symbol: str | None = None
    document_type: str | None = None
    place: str | None = None
    date: str | None = None
    subject: str | None = None
    addressees: list[str] = Field(default_factory=list)
    signer: Signer = Field(default_factory=Signer)
    recipients: list[str] = Field(default_factory=list)


class Item(_Model):
    number: str
    title: str = ""
    clauses: list[str] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    page: int | None = None
    start: int = 0
    end: int = 0
    refs: list[int] = Field(default_factory=list, exclude=True)  # indexes of its clause paragraphs


class Section(_Model):
    number: str | None = None
    title: str = ""
    paragraphs: list[str] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    page: int | None = None


class Deadline(_Model):
    raw: str
    kind: Literal["date", "before", "annual", "quarter", "period", "periodic", "other"] = "other"
    date: str | None = None  # ISO when a calendar day is known
    month_day: str | None = None  # "11-30" for yearly deadlines
    year: int | None = None
    quarter: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    months: int | None = None  # "định kỳ 6 tháng" -> 6


class Reference(_Model):
    raw: str
    type: str
    number: str | None = None
    year: int | None = None
    symbol: str | None = None
    issuer_code: str | None = None
    date: str | None = None


class Duty(_Model):
    text: str
    role: Literal["lead", "cooperate", "advise", "other"] = "other"
    partners: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    deadline: Deadline | None = None
    page: int | None = None
    line_no: int | None = None
    bbox: BBox | None = None
    confidence: float = 0.0  # 0-1


class Agency(_Model):
    name: str
    canonical: str
    section: str | None = None
    item: str | None = None
    page: int | None = None
    duties: list[Duty] = Field(default_factory=list)


class Document(_Model):
    schema_version: str = "1.0"
    doc_id: str
    source: SourceInfo
    status: Literal["ok", "partial", "failed"] = "ok"
    stages_done: list[str] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    text: str = ""
    body_start: int = 0  # offsets of the body (preamble to postamble) in text
    body_end: int = 0
    metadata: Metadata = Field(default_factory=Metadata)
    registration: Registration | None = None
    annotations: list[Annotation] = Field(default_factory=list)
    preamble: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    postamble: list[str] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)

    def warn(self, stage: str, message: str, page: int | None = None, severity: str = "warning") -> None:
        """Record a soft problem; it never stops the pipeline. Errors mark the document partial."""
        self.issues.append(Issue(stage=stage, severity=severity, message=message, page=page))
        if severity == "error" and self.status == "ok":
            self.status = "partial"
