"""Registration-stamp reading: first pages of every sample, several seeds, pen figures varied.

Faster than the full benchmark (only page 1, where the stamp is), so the reading of the pen-written
number and date can be measured on many renders. Usage:

    .venv/bin/python benchmarks/stamps.py [--levels noisy heavy heavy-gray] [--seeds 1 2 3] [-v]
                                          [--set KEY=VALUE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_config  # noqa: E402
from pipeline.runner import process_file  # noqa: E402
from pipeline.synth import drawn_marks, level_noise, load_truth, render_pdf  # noqa: E402


def first_page(truth: dict, level: str, seed: int, folder: Path) -> tuple[Path, dict]:
    path = render_pdf(truth, folder / "page-1.pdf", level, seed=seed, vary_contents=True, first_pages=1)
    return path, drawn_marks(truth, level_noise(level, seed, vary_contents=True))["registration"]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", nargs="*", default=["noisy", "heavy", "heavy-gray"])
    parser.add_argument("--seeds", nargs="*", type=int, default=[7, 11, 23])
    parser.add_argument("--samples", nargs="*", default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="print what the stamp's OCR read")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="configuration override, as for `pipeline run --set`")
    args = parser.parse_args()
    cfg = load_config(overrides=args.set)
    ids = args.samples or sorted(d.name for d in (ROOT / "samples").iterdir() if (d / "truth.json").exists())
    score: dict[str, list[int]] = {}
    for level in args.levels:
        for sample in ids:
            truth = load_truth(ROOT / "samples" / sample / "truth.json")
            for seed in args.seeds:
                with tempfile.TemporaryDirectory() as tmp:
                    path, want = first_page(truth, level, seed, Path(tmp))
                    if not want:
                        continue
                    doc = process_file(path, cfg, until="segment")
                got = doc.registration
                number_ok = bool(got and got.number == want["number"])
                date_ok = bool(got and got.date == want["date"])
                tally = score.setdefault(level, [0, 0, 0, 0])
                tally[0] += number_ok
                tally[1] += date_ok
                tally[2] += number_ok and date_ok
                tally[3] += 1
                mark = "ok " if number_ok and date_ok else "BAD"
                print(f"{mark} {level:10} {sample:28} seed {seed:3}: want {want['number']:>6} {want['date']}"
                      f"  got {got.number if got else None} {got.date if got else None}", flush=True)
                if args.verbose:
                    for m in doc.annotations:
                        if m.kind == "stamp":
                            print("     text:", repr(m.text), "| digits:", repr(m.digits))
    for level, (number, date, both, total) in score.items():
        print(f"{level}: number {number}/{total}, date {date}/{total}, both {both}/{total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
