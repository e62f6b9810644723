"""Noise benchmark: raw Tesseract, OCRmyPDF and this pipeline on the same rendered pages.

For every annotated sample and noise level (clean, medium = "noisy", heavy, heavy grayscale) the
sample is rendered with a fixed seed, then:
  - raw:       `tesseract PAGE.png - -l vie` on 300-dpi page images (rendering not timed),
  - ocrmypdf:  `ocrmypdf -l vie --deskew --clean --force-ocr` with a text sidecar,
  - pipeline:  `process_file` with the default configuration.
Reported per level: body CER against the annotation, noise words leaked into the body, registration
number and date right, seconds per page. Usage (see benchmarks/README.md):

    .venv/bin/python benchmarks/run.py --ocrmypdf .venv-bench/bin/ocrmypdf [--levels ...] [--samples ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_config  # noqa: E402
from pipeline.errors import PipelineError  # noqa: E402
from pipeline.evaluate import truth_body  # noqa: E402
from pipeline.lang.letters import fold  # noqa: E402
from pipeline.runner import process_file  # noqa: E402
from pipeline.synth import drawn_marks, level_noise, load_truth, render_pdf  # noqa: E402

LEVELS = {"clean": "clean", "medium": "noisy", "heavy": "heavy", "heavy-gray": "heavy-gray"}
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body_slice(text: str, truth: str) -> str:
    """The part of an OCR text that corresponds to the annotated body (same method for every tool)."""
    text = squash(text)
    head = fuzz.partial_ratio_alignment(truth[:80], text)
    tail = fuzz.partial_ratio_alignment(truth[-80:], text)
    start, end = head.dest_start, tail.dest_end
    return text[start:end] if start < end else text


def noise_vocabulary(marks: dict) -> set[str]:
    words: list[str] = []
    reg = marks.get("registration") or {}
    for key in ("receiver", "number", "forwarded_to", "label"):
        words += (reg.get(key) or "").split()
    if reg.get("date"):
        y, m, d = reg["date"].split("-")
        words.append(f"{d}/{m}/{y}")
    for note in marks.get("handwriting", []):
        words += note.split()
    words += ["ĐẾN", "Chuyển:", "Ngày:"]
    return {fold(w.strip(".,;:")) for w in words if len(w.strip(".,;:")) > 1}


def leaked(slice_text: str, body: str, noise: set[str]) -> int:
    """Noise words in the body slice beyond how often the true body itself uses them."""
    got = Counter(fold(w.strip(".,;:")) for w in slice_text.split())
    want = Counter(fold(w.strip(".,;:")) for w in body.split())
    return sum(max(0, got[w] - want[w]) for w in noise)


def page_images(pdf_path: Path, folder: Path) -> list[Path]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    paths = []
    for i in range(len(pdf)):
        path = folder / f"page-{i + 1}.png"
        pdf[i].render(scale=300 / 72).to_pil().save(path)
        paths.append(path)
    pdf.close()
    return paths


def run_raw(pages: list[Path]) -> tuple[str, float]:
    started = time.perf_counter()
    texts = [subprocess.run(["tesseract", str(p), "-", "-l", "vie"], capture_output=True, text=True, env=ENV,
                            check=True).stdout for p in pages]
    return "\n".join(texts), time.perf_counter() - started


def run_ocrmypdf(exe: str, pdf_path: Path, folder: Path) -> tuple[str, float]:
    sidecar = folder / "ocrmypdf.txt"
    started = time.perf_counter()
    subprocess.run([exe, "-q", "-l", "vie", "--deskew", "--clean", "--force-ocr", "--sidecar", str(sidecar),
                    str(pdf_path), str(folder / "ocrmypdf.pdf")], check=True, capture_output=True)
    return sidecar.read_text(encoding="utf-8"), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", nargs="*", default=None, help="sample ids (default: all in samples/)")
    parser.add_argument("--levels", nargs="*", default=list(LEVELS), choices=list(LEVELS))
    parser.add_argument("--seed", type=int, default=7, help="noise seed (positions, inks, skew)")
    parser.add_argument("--ocrmypdf", default="", help="path to the ocrmypdf command (skipped if empty)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="configuration override for the pipeline, as for `pipeline run --set`")
    args = parser.parse_args()
    cfg = load_config(overrides=args.set)
    ids = args.samples or sorted(d.name for d in (ROOT / "samples").iterdir() if (d / "truth.json").exists())
    # Imports and word lists load once per process (about 2 s, as in any batch): not charged to
    # whichever document happens to come first.
    process_file(ROOT / "samples" / "kh-2774-bacgiang" / "ocr-text.txt", cfg, until="extract")
    rows = []
    for sample in ids:
        truth = load_truth(ROOT / "samples" / sample / "truth.json")
        body = truth_body(truth)
        for level in args.levels:
            marks = drawn_marks(truth, level_noise(LEVELS[level], args.seed, vary_contents=True))
            noise = noise_vocabulary(marks)
            reg = marks["registration"] if level != "clean" else None
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                pdf_path = render_pdf(
                    truth, folder / "scan.pdf", LEVELS[level], seed=args.seed, vary_contents=True
                )
                pages = page_images(pdf_path, folder)
                outputs = {"raw": run_raw(pages)}
                if args.ocrmypdf:
                    outputs["ocrmypdf"] = run_ocrmypdf(args.ocrmypdf, pdf_path, folder)
                started = time.perf_counter()
                try:
                    doc = process_file(pdf_path, cfg, until="extract")  # outputs are not timed
                    outputs["pipeline"] = (doc.text, time.perf_counter() - started)
                except PipelineError as e:  # a failure is a result too: empty text, recorded
                    print(f"{sample}/{level}: pipeline error: {e}", file=sys.stderr)
                    doc = None
                    outputs["pipeline"] = ("", time.perf_counter() - started)
            for tool, (text, seconds) in outputs.items():
                part = body_slice(text, body)
                row = {
                    "sample": sample,
                    "level": level,
                    "tool": tool,
                    "pages": len(pages),
                    "cer": Levenshtein.distance(part, body) / len(body),
                    "noise_words": leaked(part, body, noise),
                    "s_per_page": seconds / len(pages),
                }
                if tool == "pipeline" and reg:
                    got = doc.registration if doc else None
                    row["reg_number_ok"] = bool(got and got.number == reg.get("number"))
                    row["reg_date_ok"] = bool(got and got.date == reg.get("date"))
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(summary(pd.DataFrame(rows)))
    return 0


def summary(frame: pd.DataFrame) -> str:
    """Markdown table: one row per level and tool."""
    lines = ["| level | tool | body CER | noise words in body | registration no. + date right | s/page |",
             "|---|---|---|---|---|---|"]
    for level in LEVELS:
        for tool in ("raw", "ocrmypdf", "pipeline"):
            part = frame[(frame.level == level) & (frame.tool == tool)]
            if part.empty:
                continue
            cer = (part.cer * part.pages).sum() / part.pages.sum()
            seconds = (part.s_per_page * part.pages).sum() / part.pages.sum()
            reg = "—"
            if "reg_number_ok" in part and part.reg_number_ok.notna().any():
                both = part.dropna(subset=["reg_number_ok"])
                reg = f"{int((both.reg_number_ok & both.reg_date_ok).sum())}/{len(both)}"
            lines.append(
                f"| {level} | {tool} | {cer:.2%} | {int(part.noise_words.sum())} | {reg} | {seconds:.1f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
