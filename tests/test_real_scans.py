"""Real scans (../shared/real-scans, read from there, never copied): header against the hand-read truth.

Skipped where the folder is absent. The floor in tests/floors.toml [real-scans] only goes up.
"""

from __future__ import annotations

import json
import tomllib

import pytest

from pipeline.config import load_config
from pipeline.corpus import annotated_inputs
from pipeline.evaluate import closing_accuracy, header_accuracy
from pipeline.runner import process_file
from tests.conftest import ROOT, SHARED

REAL = SHARED / "real-scans"
FLOORS = tomllib.loads((ROOT / "tests" / "floors.toml").read_text(encoding="utf-8"))
FLOOR = FLOORS["real-scans"]

pytestmark = [pytest.mark.ocr, pytest.mark.slow,
              pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-scans not present")]


@pytest.fixture(scope="module")
def real_docs():
    cfg = load_config()
    return {
        name: (process_file(path, cfg, until="extract"), truth)
        for name, path, truth in annotated_inputs(REAL)
    }


# The three scans the pipeline was tuned on; the others came later and are held out of tuning
# ([real-scans-held-out] in tests/floors.toml, measured before any change was made for them).
TUNED = ("lc-scan-cv-2265-bct-atmt-2026", "lc-scan-qd-26-xpvphc-cuchoachat-2026",
         "lc-scan-qd-pheduyet-tkbvtc-kho-landscape")
HELD_OUT = FLOORS["real-scans-held-out"]


def _mean(scores: dict[str, float], names) -> float:
    return sum(scores[n] for n in names) / len(names)


def test_real_scans_header_floor(real_docs):
    scores = {name: header_accuracy(doc, truth) for name, (doc, truth) in real_docs.items()}
    held_out = [n for n in scores if n not in TUNED]
    accuracy = {n: acc for n, (acc, _) in scores.items()}
    report = json.dumps({n: w for n, (_, w) in scores.items()}, ensure_ascii=False)
    assert set(TUNED) <= set(scores) and len(held_out) >= HELD_OUT["scans"]
    assert _mean(accuracy, TUNED) >= FLOOR["header_acc"], report
    assert _mean(accuracy, held_out) >= HELD_OUT["header_acc"], report


def test_real_scans_agencies_floor(real_docs):
    """The seven whose truth names the agencies and their duties (e-office PDFs, permits, a report)."""
    from pipeline.evaluate import score

    scores = {name: score(doc, truth).agency_f1 for name, (doc, truth) in real_docs.items()
              if "agencies" in truth}
    assert len(scores) == HELD_OUT["scans"]
    assert sum(scores.values()) / len(scores) >= HELD_OUT["agency_f1"], scores


def test_real_scans_closing_floor(real_docs):
    """Signer's lines and name and the recipients; the landscape scan's had been lost entirely."""
    scores = {name: closing_accuracy(doc, truth) for name, (doc, truth) in real_docs.items()}
    assert _mean(scores, TUNED) >= FLOOR["closing_acc"], scores
    assert _mean(scores, [n for n in scores if n not in TUNED]) >= HELD_OUT["closing_acc"], scores
    doc, truth = real_docs["lc-scan-qd-pheduyet-tkbvtc-kho-landscape"]
    assert doc.metadata.recipients == [r.lstrip("- ") for r in truth["closing"]["recipients"]]
    assert doc.metadata.signer.name == truth["closing"]["signer_name"]


def test_real_scan_handwritten_date_read_and_reported(real_docs):
    doc, truth = real_docs["lc-scan-cv-2265-bct-atmt-2026"]
    assert doc.metadata.date == truth["header"]["date"] == "2026-04-02"  # day "02", month "4" by blue pen
    assert any("is handwritten" in i.message and "date" in i.message for i in doc.issues)
    assert (
        doc.metadata.number is None
    )  # "2265" by dark pen is not legible to the pipeline: left empty, not guessed


def test_real_scan_sideways_pages_read(real_docs):
    doc, truth = real_docs["lc-scan-qd-pheduyet-tkbvtc-kho-landscape"]
    want = truth["header"]
    assert (doc.metadata.number, doc.metadata.symbol, doc.metadata.date, doc.metadata.place) == (
        want["number"], want["symbol"], want["date"], want["place"])


def test_real_scan_red_stamp_found_and_kept_out_of_text(real_docs):
    doc, _ = real_docs["lc-scan-qd-26-xpvphc-cuchoachat-2026"]
    stamps = [a for a in doc.annotations if a.kind == "stamp"]
    assert stamps and stamps[0].page == 1
    assert doc.registration is not None and doc.registration.receiver.startswith("SỞ CÔNG THƯƠNG")
    assert "ĐẾN" not in doc.text


def test_real_scan_pen_day_glued_to_print_leaves_place_and_a_report(real_docs):
    doc, truth = real_docs["lc-scan-qd-26-xpvphc-cuchoachat-2026"]
    assert doc.metadata.place == truth["header"]["place"] == "Hà Nội"  # "ngàyCẨ|tháng" split back
    assert doc.metadata.date is None  # the pen's "08" is not legible: empty, and said so
    assert any("date" in i.message and "could not be read" in i.message for i in doc.issues)
    assert doc.metadata.symbol == truth["header"]["symbol"]  # under the stamp's box, not taken for debris
    # print with the scanner's colour cast is no pen note (it gave a hundred a page)
    assert len([a for a in doc.annotations if a.kind == "handwriting"]) <= 5
