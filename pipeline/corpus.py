"""The evaluation corpus: annotated documents, the scans the generator renders from their truths, and
each input read up to OCR once.

OCR is the slow part (seconds a page); what comes after it takes a second a document. So the
Document after OCR is kept in a cache, keyed by the input's bytes, the settings of the stages up to
OCR and their code, and later runs go on from it: a change to clean, segment or extract is measured
on the whole corpus in seconds. Renders are kept the same way, keyed by the truth, the level, the
seed and the generator's code. The cache is a folder of files anyone may delete (``.cache/``,
never committed).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from pipeline.config import PROJECT_ROOT, Config
from pipeline.models import Document
from pipeline.runner import process_file

CACHE = PROJECT_ROOT / ".cache"
_OCR_SIDE = ("ingest", "preprocess", "ocr", "geometry.py", "work.py", "models.py", "lang")


def _code_hash(parts) -> str:
    """A hash of the source files of *parts* (packages or modules under pipeline/)."""
    digest = hashlib.sha256()
    for part in parts:
        path = PROJECT_ROOT / "pipeline" / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def rendered(truth_file: Path, level: str, seed: int, cache: Path = CACHE) -> Path:
    """The scan the generator renders from *truth_file* at *level* and *seed* (rendered once)."""
    from pipeline.synth import load_truth, render_pdf

    key = hashlib.sha256(truth_file.read_bytes()).hexdigest()[:12]
    out = cache / "renders" / truth_file.parent.name / f"{level}-{seed}-{key}-{_code_hash(['synth'])}.pdf"
    if not out.exists():
        render_pdf(load_truth(truth_file), out, level=level, seed=seed)
    return out


def read(path: Path, cfg: Config, cache: Path | None = CACHE) -> Document:
    """*path* through every stage but export; with a *cache*, the stages up to OCR run once."""
    if cache is None:
        return process_file(path, cfg, until="extract")
    settings = json.dumps([cfg.ingest.model_dump(), cfg.preprocess.model_dump(), cfg.ocr.model_dump()])
    key = hashlib.sha256(path.read_bytes() + settings.encode() + _code_hash(_OCR_SIDE).encode()).hexdigest()[
        :20
    ]
    saved = cache / "ocr" / f"{key}.json"
    if saved.exists():
        doc = Document.model_validate_json(saved.read_text(encoding="utf-8"))
    else:
        doc = process_file(path, cfg, until="ocr")
        saved.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=saved.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(doc.model_dump_json())
        os.replace(tmp, saved)
        doc = Document.model_validate_json(saved.read_text(encoding="utf-8"))  # as a cached run sees it
    doc.source.path = str(path)
    return process_file(None, cfg, resume_from=doc, until="extract")


def annotated_inputs(folder: Path, levels: list[str] | None = None, seeds: list[int] | None = None,
                     cache: Path = CACHE) -> list[tuple[str, Path, dict]]:
    """(name, input, truth) of every annotated input in *folder*:
    - a folder of sample folders, each with truth.json beside its inputs (samples/); a sample folder
      with no inputs (``../shared/real-texts``) is rendered at each of *levels* and *seeds*;
    - a flat folder of scans each with its own ``NAME.truth.json`` (``../shared/real-scans``).
    """
    found = []
    for sample in sorted(p for p in folder.iterdir() if (p / "truth.json").exists()):
        truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))
        inputs = sample_inputs(sample) or [rendered(sample / "truth.json", level, seed, cache)
                                           for level in levels or ["noisy"] for seed in seeds or [1]]
        found += [(sample.name, path, truth) for path in inputs]
    for truth_file in sorted(folder.glob("*.truth.json")):
        scan = next(
            (p for p in sample_inputs(folder) if p.name == truth_file.name.replace(".truth.json", p.suffix)),
            None,
        )
        if scan is not None:
            found.append((scan.stem, scan, json.loads(truth_file.read_text(encoding="utf-8"))))
    return found


def sample_inputs(sample_dir: Path) -> list[Path]:
    """The inputs of one sample folder: its rendered scans and any OCR text file."""
    return sorted(
        p
        for p in sample_dir.iterdir()
        if p.suffix.lower() in {".pdf", ".txt", ".png", ".jpg", ".tif", ".tiff"} and p.name != "README.md"
    )
