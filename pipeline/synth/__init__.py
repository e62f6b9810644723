"""Sample generator: render an annotated document (truth.json) into a realistic scanned PDF.

The truth it renders from is the annotation, so every rendered sample comes with its own answer.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from pipeline.synth.layout import render_layout
from pipeline.synth.noise import LEVELS, Noise, apply_noise, drawn_marks

__all__ = ["LEVELS", "Noise", "render_pdf", "load_truth", "drawn_marks", "level_noise"]


def level_noise(level: str, seed: int, vary_contents: bool = False) -> Noise:
    return replace(LEVELS[level], seed=seed, vary_contents=vary_contents)


def load_truth(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def render_pdf(truth: dict, out: str | Path, level: str = "clean", seed: int = 0, vary_contents: bool = False,
               first_pages: int | None = None) -> Path:
    """Render *truth* at noise *level* into the PDF *out* (written atomically); returns its path.

    *first_pages* keeps only that many pages (the stamp benchmark needs page 1 alone)."""
    noise = level_noise(level, seed, vary_contents)
    layout = render_layout(truth, dpi=noise.dpi, hand_fields=noise.hand_fields)
    pages = apply_noise(layout, truth, noise)[:first_pages]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".pdf.tmp")
    os.close(fd)
    options = {} if noise.bilevel else {"quality": noise.jpeg_quality}
    pages[0].save(tmp, "PDF", save_all=True, append_images=pages[1:], resolution=noise.dpi, **options)
    os.replace(tmp, out)
    return out
