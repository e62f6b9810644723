"""Real published documents (../shared/real-texts, read from there, never copied): rendered as noisy
scans by the generator and read end to end, scored against their hand-made truth.

Five of them are held out of tuning (tests/floors.toml [real-texts] hold_out): their floor is apart,
and it tells whether a change generalises. Skipped where the folder is absent. Renders and the OCR'd
Documents are cached in .cache/ (pipeline/corpus.py): a cold run OCRs 20 documents (some minutes),
a warm one takes seconds.
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from pipeline import corpus
from pipeline.config import load_config
from pipeline.evaluate import score
from tests.conftest import ROOT, SHARED

REAL = SHARED / "real-texts"
FLOOR = tomllib.loads((ROOT / "tests" / "floors.toml").read_text(encoding="utf-8"))["real-texts"]
HELD_OUT = set(FLOOR["hold_out"])
MEASURES = ("header_acc", "section_acc", "agency_f1", "duty_f1", "closing_acc")

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-texts not present")


@pytest.fixture(scope="module")
def real_scores():
    cfg = load_config()
    return {name: score(corpus.read(path, cfg), truth)
            for name, path, truth in corpus.annotated_inputs(REAL, ["noisy"], [1])}


def _mean(scores, names, measure: str) -> float:
    return sum(getattr(scores[n], measure) for n in names) / len(names)


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("part", ["tuned", "held_out"])
def test_real_texts_rendered_noisy_meet_floors(real_scores, part):
    names = [n for n in real_scores if (n in HELD_OUT) == (part == "held_out")]
    assert len(names) == (len(HELD_OUT) if part == "held_out" else len(real_scores) - len(HELD_OUT))
    got = {m: round(_mean(real_scores, names, m), 4) for m in MEASURES}
    for measure in MEASURES:
        assert got[measure] >= FLOOR[part][measure], got


def _inline_assignments():
    """(agency, duty) of every tuned real text whose truth gives an agency its work in one sentence
    ("N. Sở Tài chính chủ trì, phối hợp ..."): the agency as printed, the duty the rest of it."""
    for truth_file in sorted(REAL.glob("*/truth.json")) if REAL.is_dir() else []:
        if truth_file.parent.name in HELD_OUT:
            continue
        for agency in json.loads(truth_file.read_text(encoding="utf-8"))["agencies"]:
            duty = agency["duties"][0] if agency["duties"] else ""
            if duty[:1].islower() and agency["name"][:1].isupper() and not re.match(r"[a-zđ]\)", duty):
                yield truth_file.parent.name, agency["name"], duty


def test_real_texts_inline_assignments_split_where_the_truth_does(lists):
    """The one mechanism (pipeline/extract/agencies.py: assignment) on every such sentence of the
    tuned real texts, from every document kind (Công điện, Chỉ thị, Kế hoạch, Quyết định, Thông báo)."""
    from pipeline.extract.agencies import assignment

    cases = list(_inline_assignments())
    assert len(cases) >= 30
    wrong = [(doc, name, duty[:40]) for doc, name, duty in cases
             if assignment(f"{name} {duty}", lists) != (name, duty)]
    assert wrong == []
