"""The output contract: the typed Document that flows through every stage and is saved as document.json.

Geometry follows docTR's tree (pages -> blocks -> lines -> words); provenance follows Docling: every
paragraph and extracted field points back to a page and box (or a line of a text file) with a
confidence, so a person can check it against the scan. Everything here is serialised and loads back
(``Document.model_validate_json``); what stages hand each other in memory only (page pictures, mark
crops) lives in ``pipeline.work``. ``docs/document.schema.json`` is generated from these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = "1.1"

BBox = tuple[int, int, int, int]  # x0, y0, x1, y1 in page-image pixels, origin top left


class _Model(BaseModel):
    # Keys this version does not know are ignored: a newer document.json still loads.
    model_config = ConfigDict(extra="ignore")


class Word(_Model):
    text: str
    bbox: BBox | None = Field(None, description="box on the page; null in a text file")
    conf: float = Field(-1.0, description="Tesseract's 0-100; -1 when unknown (text layer, text file)")


class Line(_Model):
    bbox: BBox | None = None
    line_no: int | None = Field(None, description="1-based line of a text-file input")
    words: list[Word] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def conf(self) -> float:
        known = [w.conf for w in self.words if w.conf >= 0]
        return sum(known) / len(known) if known else -1.0


class Block(_Model):
    bbox: BBox | None = None
    lines: list[Line] = Field(default_factory=list)


class Page(_Model):
    number: int = Field(description="1-based")
    width: int = Field(0, description="of the page image the boxes refer to, in pixels")
    height: int = 0
    dpi: int = 0
    origin: Literal["text_layer", "ocr", "text"] = Field("ocr", description="where its words came from")
    rotation: int = Field(0, description="degrees the scan was turned clockwise to make the page upright")
    skew_deg: float = Field(0.0, description="degrees the page was turned to level its lines")
    blocks: list[Block] = Field(default_factory=list)


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
    bbox: BBox | None = Field(None, description="union of its lines on the first page; null for a text file")
    line_no: int | None = Field(None, description="1-based line in a text-file input")
    conf: float = Field(-1.0, description="mean word confidence 0-100, -1 unknown")
    centered: bool = Field(False, description="both margins indented (titles, subject lines, signer column)")
    column: Literal["full", "left", "right"] = "full"
    handwritten: list[str] = Field(default_factory=list, description="pen-written pieces inside the print")
    start: int = Field(0, description="character offsets into Document.text")
    end: int = 0


class Annotation(_Model):
    """A mark that is not body print: kept out of ``text``, reported here."""

    kind: Literal["handwriting", "seal", "stamp", "field"] = Field(
        description='"field": a value an e-office system stamped onto the page at signing (its number, date)')
    text: str | None = None
    page: int
    bbox: BBox | None = None
    conf: float | None = Field(None, description="OCR confidence of text, 0-100")
    digits: str | None = Field(None, description="a digit-only reading, for figures written into the header")
    digits_conf: float | None = None
    readings: list[list[tuple[str, float]]] = Field(
        default_factory=list,
        description="the digit-only readings of a stamp's pen figures, each its lines as (text, confidence "
                    "0-100), at several sizes and from several pictures; the registration is voted from them")
    ink_removed: bool = Field(
        False, description="its ink was taken off the page picture before OCR (colour ink, or pen ink paler "
                           "than toner), so no word of the page's text is its own")


class Registration(_Model):
    """The receiving office's "ĐẾN" stamp (Nghị định 30 Phụ lục IV)."""

    receiver: str | None = None
    number: str | None = None
    date: str | None = None
    forwarded_to: str | None = None
    file_no: str | None = None


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
    clause_paragraphs: list[int] = Field(
        default_factory=list, description="index in Document.paragraphs of each clause's paragraph"
    )
    items: list[Item] = Field(default_factory=list)
    page: int | None = None
    start: int = 0
    end: int = 0


class Section(_Model):
    number: str | None = None
    title: str = ""
    paragraphs: list[str] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    page: int | None = None


class Deadline(_Model):
    raw: str
    kind: Literal["date", "before", "annual", "quarter", "period", "periodic", "other"] = "other"
    date: str | None = Field(None, description="ISO when a calendar day is known")
    month_day: str | None = Field(None, description='"11-30" for yearly deadlines')
    year: int | None = None
    quarter: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    months: int | None = Field(None, description='"định kỳ 6 tháng" -> 6')


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
    confidence: float = Field(0.0, description="0-1")


class Agency(_Model):
    name: str
    canonical: str
    section: str | None = None
    item: str | None = None
    page: int | None = None
    duties: list[Duty] = Field(default_factory=list)


class Document(_Model):
    schema_version: str = SCHEMA_VERSION
    doc_id: str
    status: Literal["ok", "partial", "failed"] = "ok"
    source: SourceInfo
    metadata: Metadata = Field(default_factory=Metadata)
    registration: Registration | None = None
    annotations: list[Annotation] = Field(default_factory=list)
    preamble: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    postamble: list[str] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    text: str = ""
    body_start: int = Field(0, description="offsets of the body (preamble to postamble) in text")
    body_end: int = 0
    issues: list[Issue] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    stages_done: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    # The stages' working state (pipeline.work): in memory only, never saved, never compared.
    _work: Any = PrivateAttr(default=None)

    def warn(self, stage: str, message: str, page: int | None = None, severity: str = "warning") -> None:
        """Record a soft problem; it never stops the pipeline. Errors mark the document partial."""
        self.issues.append(Issue(stage=stage, severity=severity, message=message, page=page))
        if severity == "error" and self.status == "ok":
            self.status = "partial"
