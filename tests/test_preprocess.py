"""Preprocessing on synthetic pages with known truth (angle, ink)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.config import PreprocessConfig
from pipeline.models import Page
from pipeline.preprocess import estimate_skew, prepare_page
from pipeline.synth.layout import font

LINE = "Chủ trì, phối hợp với Sở Tài chính cân đối bố trí nguồn vốn thực hiện các chương trình"


def text_page() -> Image.Image:
    page = Image.new("RGB", (1600, 1400), "white")
    draw = ImageDraw.Draw(page)
    for row in range(14):
        draw.text((80, 80 + row * 85), LINE, font=font("regular", 36), fill="black")
    return page


@pytest.mark.parametrize("angle", [-4.0, -2.5, -0.7, 1.3, 2.5, 4.6])
def test_preprocess_deskew_within_0_3_degrees(angle):
    rotated = text_page().rotate(angle, resample=Image.BICUBIC, fillcolor="white").convert("L")
    estimate = estimate_skew(np.array(rotated), max_deg=5.0)
    # estimate is the correction: rotating by it undoes the page's angle
    assert abs(estimate + angle) < 0.3


def test_preprocess_red_seal_removed_text_kept():
    page = text_page()
    draw = ImageDraw.Draw(page)
    draw.ellipse([500, 300, 900, 700], outline=(210, 30, 40), width=14)
    image = np.array(page)[:, :, ::-1].copy()
    gray, found = prepare_page(Page(number=1, dpi=300, image=image), PreprocessConfig(deskew=False))
    ring = np.zeros(gray.shape, bool)
    yy, xx = np.mgrid[: gray.shape[0], : gray.shape[1]]
    r = np.hypot(yy - 500, xx - 700)
    ring[(r > 193) & (r < 207)] = True
    text_rows = gray[80:120, 80:1500]
    assert (gray[ring] < 128).mean() < 0.25  # the ring is gone except where it crossed black text
    assert (text_rows < 128).mean() > 0.05  # the text is still there
    assert any(kind == "seal" for kind, _ in found)
