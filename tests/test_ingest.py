"""Ingest: text-layer PDFs, scanned PDFs (rotated too), images; the text layer only when it is usable."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline import ingest
from pipeline.errors import InputFileError
from pipeline.synth.layout import FONT_DIRS, FONT_FILES
from pipeline.work import work_of

VIET = "Chủ trì, phối hợp với Sở Tài chính cân đối bố trí nguồn vốn thực hiện các chương trình dự án"


def _font_path():
    for name in FONT_FILES["regular"]:
        for folder in FONT_DIRS:
            if (folder / name).exists():
                return str(folder / name)
    pytest.skip("no Vietnamese font")


def _text_pdf(path, line):
    pdfmetrics.registerFont(TTFont("VietSerif", _font_path()))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("VietSerif", 12)
    for row in range(8):
        c.drawString(60, 780 - row * 20, line)
    c.save()


def test_ingest_text_layer_pdf_is_read_without_ocr(tmp_path, cfg):
    path = tmp_path / "text.pdf"
    _text_pdf(path, VIET)
    doc = ingest.run(ingest.open_document(path), cfg)
    assert doc.source.kind == "pdf-text"
    page = doc.pages[0]
    assert page.origin == "text_layer" and page.number not in work_of(doc).pictures
    assert "phối" in " ".join(w.text for b in page.blocks for ln in b.lines for w in ln.words)


def test_ingest_garbage_text_layer_falls_back_to_the_image(tmp_path, cfg):
    path = tmp_path / "garbage.pdf"
    _text_pdf(path, "BO CONG THIJoNG ceNG noa xA Her cHU Ncuia vrET NAM CVC H6A CHAT")
    doc = ingest.run(ingest.open_document(path), cfg)
    assert doc.pages[0].origin == "ocr" and 1 in work_of(doc).pictures


def test_ingest_scanned_pdf_takes_embedded_image_and_honours_rotate(tmp_path, cfg):
    upright = Image.new("RGB", (827, 1169), "white")
    ImageDraw.Draw(upright).rectangle([100, 50, 700, 150], fill="black")  # a dark band at the top
    sideways = upright.rotate(-90, expand=True)  # stored turned 90° clockwise, like the real scan
    path = tmp_path / "scan.pdf"
    sideways.save(path, "PDF", resolution=100)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    pdf[0].set_rotation(270)
    pdf.save(str(tmp_path / "rotated.pdf"))
    pdf.close()
    doc = ingest.run(ingest.open_document(tmp_path / "rotated.pdf"), cfg)
    page = doc.pages[0]
    assert (page.width, page.height) == (827, 1169) and page.dpi == 100
    assert work_of(doc).turns[1] == 270
    gray = work_of(doc).pictures[1].mean(axis=2)
    assert gray[50:150, 100:700].mean() < 60 and gray[1000:1100, 100:700].mean() > 200


def test_ingest_multipage_tiff(tmp_path, cfg):
    frames = [Image.new("L", (800, 1000), v) for v in (255, 200)]
    path = tmp_path / "pages.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    doc = ingest.run(ingest.open_document(path), cfg)
    assert [p.number for p in doc.pages] == [1, 2]
    assert np.asarray(work_of(doc).pictures[2]).mean() < 255


def test_ingest_text_file_must_be_utf8(tmp_path, cfg):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Sở Tài chính".encode("utf-16"))
    with pytest.raises(InputFileError, match="UTF-8"):
        ingest.run(ingest.open_document(path), cfg)


def test_ingest_text_file_lines_are_the_page_lines(tmp_path, cfg):
    path = tmp_path / "plan.txt"
    path.write_text("ỦY BAN NHÂN DÂN\n\n  Số:\t2774 /KH-UBND  \n", encoding="utf-8")
    doc = ingest.run(ingest.open_document(path), cfg)
    (page,) = doc.pages
    lines = [ln for b in page.blocks for ln in b.lines]
    assert page.origin == "text" and [(ln.line_no, ln.text) for ln in lines] == [
        (1, "ỦY BAN NHÂN DÂN"), (3, "Số: 2774 /KH-UBND")]
    assert doc.paragraphs == []  # paragraphs are the clean stage's


def test_ingest_text_layer_of_glyph_codes_or_a_legacy_encoding_is_read_from_the_picture(tmp_path, cfg):
    """A font without a Unicode map leaves "(cid:55)(cid:1228)" between the words it does map (real
    e-office PDFs re-distilled by Ghostscript); a TCVN3 font leaves "KÕ HO¹CH". Both hold Vietnamese
    letters, but few of their words are syllables: the page is OCR'd from its picture."""
    from pipeline.lang.syllables import syllable_share

    glyphs = "UBND (cid:55)(cid:12) LÀO CAI (cid:38)(cid:12) HOÀ XÃ (cid:43)(cid:44) (cid:38) (cid:49) NAM"
    legacy = "KÕ HO¹CH Thùc hiÖn ChØ thÞ sè 28 cña Thñ t­íng ChÝnh phñ vÒ n©ng cao hiÖu lùc"
    assert syllable_share(glyphs.split()) < cfg.ingest.min_syllable_ratio
    assert syllable_share(legacy.split()) < cfg.ingest.min_syllable_ratio
    assert syllable_share(VIET.split()) > 0.9
    for line in (glyphs, legacy):
        path = tmp_path / "layer.pdf"
        _text_pdf(path, line)
        doc = ingest.run(ingest.open_document(path), cfg)
        assert doc.pages[0].origin == "ocr" and 1 in work_of(doc).pictures


def _e_office_pdf(path, number: str):
    """A born-digital page whose number is a form field over the printed blank, as e-office systems
    stamp it at signing."""
    pdfmetrics.registerFont(TTFont("VietSerif", _font_path()))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("VietSerif", 13)
    c.drawString(90, 760, "ỦY BAN NHÂN DÂN TỈNH LÀO CAI")
    c.drawString(90, 730, "Số:          /UBND-XD")
    c.drawString(320, 730, "Lào Cai, ngày 11 tháng 5 năm 2026")
    for row in range(10):
        c.drawString(60, 680 - row * 20, VIET)
    c.acroForm.textfield(name="so", value=number, x=112, y=726, width=44, height=18, borderWidth=0,
                         fontSize=13, fillColor=None)
    c.save()


@pytest.mark.ocr
def test_ingest_e_office_number_in_a_form_field_fills_the_header(tmp_path, cfg):
    from pipeline.runner import process_file

    path = tmp_path / "e-office.pdf"
    _e_office_pdf(path, "3686")
    doc = process_file(path, cfg, until="segment")
    assert doc.pages[0].origin == "text_layer"
    assert [a.kind for a in doc.annotations] == ["field"]
    assert (doc.metadata.number, doc.metadata.symbol, doc.metadata.date) == ("3686", "UBND-XD", "2026-05-11")
    assert any("e-office form field" in i.message for i in doc.issues)
