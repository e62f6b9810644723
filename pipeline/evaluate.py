"""Score a processed Document against a hand-written annotation (truth.json).

Used by ``python -m pipeline eval`` and by the regression tests, so both report the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.lang.letters import fold
from pipeline.models import Document
from pipeline.synth.layout import body_paragraphs
from pipeline.synth.noise import annotated_marks

HEADER_FIELDS = ["issuer_parent", "issuer", "number", "symbol", "document_type", "place", "date", "subject"]
FUZZY_MATCH = 90  # rapidfuzz ratio at which an OCR'd clause counts as the annotated one


@dataclass
class Scores:
    cer: float
    header_acc: float
    section_acc: float
    agency_p: float
    agency_r: float
    agency_f1: float
    duty_f1: float
    closing_acc: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def truth_body(truth: dict) -> str:
    """The body as printed (the renderer's own paragraphs), whitespace squashed."""
    return _squash(" ".join(" ".join(r.text for r in runs) for runs in body_paragraphs(truth)))


def cer(doc: Document, truth: dict) -> float:
    expected = truth_body(truth)
    got = _squash(doc.text[doc.body_start:doc.body_end]) if doc.body_end else _squash(doc.text)
    return Levenshtein.distance(got, expected) / max(1, len(expected))


def _field_key(value) -> str:
    return fold(str(value or "")).strip(" .;:,")


def header_accuracy(doc: Document, truth: dict) -> tuple[float, list[str]]:
    want = dict(truth["header"])
    want["document_type"] = want.get("document_type") or "CÔNG VĂN"
    got = doc.metadata.model_dump()
    wrong = [f for f in HEADER_FIELDS if _field_key(got.get(f)) != _field_key(want.get(f))]
    return 1 - len(wrong) / len(HEADER_FIELDS), wrong


def closing_accuracy(doc: Document, truth: dict) -> float:
    """Signer's lines and name and the recipients, matched one to one: hits over the longer list."""
    closing = truth.get("closing")
    if not closing:
        return float("nan")
    want = [*closing.get("signer_lines", []), closing.get("signer_name"), *closing.get("recipients", [])]
    got = [*doc.metadata.signer.lines, doc.metadata.signer.name, *doc.metadata.recipients]
    want, got = (
        [k for v in values if (k := _field_key(str(v or "").lstrip("-+• ")))] for values in (want, got)
    )
    return _match(got, want) / max(len(want), len(got), 1)


def section_accuracy(doc: Document, truth: dict) -> float:
    want = [(s.get("number"), _field_key(s.get("title"))) for s in truth.get("sections", [])]
    got = [(s.number, _field_key(s.title)) for s in doc.sections]
    hits = sum(1 for w in want if w in got)
    return hits / max(len(want), len(got), 1)


def _match(pred: list[str], gold: list[str]) -> int:
    """Greedy one-to-one matching of folded strings: exact first, then fuzzy."""
    left = list(gold)
    hits = 0
    for p in pred:
        best = max(left, key=lambda g: fuzz.ratio(p, g), default=None)
        if best is not None and (best == p or fuzz.ratio(p, best) >= FUZZY_MATCH):
            left.remove(best)
            hits += 1
    return hits


def _prf(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = hits / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = hits / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(doc: Document, truth: dict) -> Scores:
    """Every measure the annotation allows; a header-only annotation (a real scan) scores only that."""
    if "agencies" not in truth:
        nan = float("nan")
        return Scores(
            nan, header_accuracy(doc, truth)[0], nan, nan, nan, nan, nan, closing_accuracy(doc, truth)
        )
    return _full_score(doc, truth)


def _full_score(doc: Document, truth: dict) -> Scores:
    gold_agencies = [fold(a["name"]) for a in truth.get("agencies", [])]
    pred_agencies = [fold(a.name) for a in doc.agencies]
    ap, ar, af = _prf(_match(pred_agencies, gold_agencies), len(pred_agencies), len(gold_agencies))
    gold_duties = [f"{fold(a['name'])} :: {fold(d)}" for a in truth.get("agencies", []) for d in a["duties"]]
    pred_duties = [f"{fold(a.name)} :: {fold(d.text)}" for a in doc.agencies for d in a.duties]
    _, _, df = _prf(_match(pred_duties, gold_duties), len(pred_duties), len(gold_duties))
    return Scores(
        cer(doc, truth),
        header_accuracy(doc, truth)[0],
        section_accuracy(doc, truth),
        ap,
        ar,
        af,
        df,
        closing_accuracy(doc, truth),
    )


def carries_marks(path: Path) -> bool:
    """scan-clean renders carry no stamp or pen marks (samples/README.md); every other input may."""
    return "clean" not in path.name


def registration_right(doc: Document, truth: dict) -> float | None:
    """1 when the stamp's number and date were both read right, 0 when not; None without a stamp.

    Truth may name the fields as the output contract does (number, date) or as read off the stamp
    (so_den, ngay)."""
    marks = annotated_marks(truth)
    stamp = marks.get("registration") or marks.get("registration_stamp")
    if not stamp:
        return None
    got = doc.registration
    number, date = stamp.get("number") or stamp.get("so_den"), stamp.get("date") or stamp.get("ngay")
    return float(bool(got) and got.number == number and got.date == date)
