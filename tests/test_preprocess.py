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


WORDS = (LINE + " trên địa bàn tỉnh nhằm nâng cao hiệu lực quản lý nhà nước về công tác dân tộc").split()


def text_page() -> Image.Image:
    """A page of justified-looking lines whose word breaks differ, like a real body."""
    page = Image.new("RGB", (1600, 1400), "white")
    draw = ImageDraw.Draw(page)
    draw.text((80, 80), LINE, font=font("regular", 36), fill="black")
    for row in range(1, 14):
        words = WORDS[row % 7:] + WORDS[: row % 7]
        draw.text(
            (80 + (row % 3) * 20, 80 + row * 85), " ".join(words)[:80], font=font("regular", 36), fill="black"
        )
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
    gray, found, _, _ = prepare_page(Page(number=1, dpi=300), image, PreprocessConfig(deskew=False))
    ring = np.zeros(gray.shape, bool)
    yy, xx = np.mgrid[: gray.shape[0], : gray.shape[1]]
    r = np.hypot(yy - 500, xx - 700)
    ring[(r > 193) & (r < 207)] = True
    text_rows = gray[80:125, 80:1500]
    assert (gray[ring] < 128).mean() < 0.25  # the ring is gone except where it crossed black text
    assert (text_rows < 128).mean() > 0.05  # the text is still there
    assert any(mark.annotation.kind == "seal" for mark in found)


@pytest.mark.ocr
@pytest.mark.parametrize("turned", [90, 180, 270])
def test_preprocess_rotated_page_comes_back_upright(turned, cfg):
    from pipeline import ocr, preprocess
    from pipeline.models import Document, SourceInfo
    from pipeline.work import attach

    page_image = np.array(text_page())[:, :, ::-1]
    rotated = np.ascontiguousarray(np.rot90(page_image, k=-turned // 90))  # turned clockwise
    doc = Document(doc_id="t", source=SourceInfo(path="t.png", sha256="0", kind="image"),
                   pages=[Page(number=1, dpi=300)])
    attach(doc).pictures[1] = rotated
    preprocess.run(doc, cfg)
    ocr.run(doc, cfg)
    page = doc.pages[0]
    assert page.rotation == (360 - turned) % 360
    words = " ".join(w.text for b in page.blocks for ln in b.lines for w in ln.words)
    assert "phối hợp với Sở Tài chính" in words
