"""OCR passes: lines run across the closing's two columns read again; Tesseract runs side by side."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import OcrConfig
from pipeline.models import Block, Line, Page, Word
from pipeline.reread import reread_column_pieces
from tests.conftest import requires_tesseract


def _line(*words: tuple[str, int, int, float], y: int = 100, h: int = 40) -> Line:
    ws = [Word(text=t, bbox=(x0, y, x1, y + h), conf=c) for t, x0, x1, c in words]
    return Line(bbox=(ws[0].bbox[0], y, ws[-1].bbox[2], y + h), words=ws)


class ColumnEngine:
    """Reads each crop as the lines given for it, in the crop's own coordinates; keeps the crops."""

    name = "fake"

    def __init__(self, readings: list[list[Line]]):
        self.readings, self.crops, self.psm = readings, [], None

    def recognize_many(self, images, cfg, whitelist=None):
        self.crops, self.psm = [i.shape for i in images], cfg.psm
        return [[Block(bbox=(0, 0, 1, 1), lines=lines)] for lines in self.readings]


def _closing_page() -> Page:
    # "Nơi nhận:" (left) and "HẠ TẦNG VÀ GIAO THÔNG" (right) read as one line, the left piece as "~"
    merged = _line(("~", 300, 340, 0.0), ("HẠ", 1300, 1360, 93.0), ("LANG", 1370, 1480, 80.0), y=1400)
    whole = _line(("CÔNG", 1250, 1400, 96.0), ("TY", 1410, 1460, 95.0), y=1370)  # one column only: not re-read
    page = Page(number=3, width=2400, height=3400, image=np.full((3400, 2400), 255, np.uint8))
    page.blocks = [Block(bbox=(300, 1370, 1480, 1440), lines=[whole, merged])]
    return page


def test_reread_reads_each_column_of_a_line_run_across_the_gap():
    page = _closing_page()
    engine = ColumnEngine([
        [_line(("Nơi", 12, 80, 96.0), ("nhận:", 90, 200, 95.0), y=40)],  # left crop starts at x 288, y 1388
        [_line(("HẠ", 12, 70, 93.0), ("TẦNG", 80, 200, 91.0), y=12)],  # right crop starts at the gap's middle
    ])
    reread_column_pieces([page], engine, OcrConfig())
    lines = page.blocks[0].lines
    assert engine.psm == 6 and len(engine.crops) == 2
    assert [ln.text for ln in lines] == ["CÔNG TY", "HẠ TẦNG", "Nơi nhận:"]  # top to bottom, in page coordinates
    left = lines[2].words[0].bbox
    assert left[0] == 300 and left[1] == 1428  # 288 + 12, 1388 + 40
    assert lines[1].words[0].bbox[0] == (340 + 1300) // 2 + 12


def test_reread_keeps_tesseracts_reading_where_the_columns_read_less_sure():
    page = _closing_page()
    engine = ColumnEngine([[_line(("~", 12, 40, 5.0), y=40)], [_line(("H", 12, 40, 10.0), y=12)]])
    reread_column_pieces([page], engine, OcrConfig())
    assert [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY", "~ HẠ LANG"]


def test_reread_drops_a_line_the_crop_cut_that_was_read_whole_already():
    page = _closing_page()
    engine = ColumnEngine([
        [_line(("Nơi", 12, 80, 96.0), ("nhận:", 90, 200, 95.0), y=40)],
        # the bottom of "CÔNG TY" lies inside the right crop; its half-read copy must not come in twice
        [_line(("CÔNG", 450, 600, 90.0), y=0, h=20), _line(("HẠ", 12, 70, 93.0), ("TẦNG", 80, 200, 91.0), y=12)],
    ])
    reread_column_pieces([page], engine, OcrConfig())
    assert [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY", "HẠ TẦNG", "Nơi nhận:"]


def test_reread_leaves_a_page_without_column_gaps_unread():
    page = _closing_page()
    page.blocks[0].lines = page.blocks[0].lines[:1]
    engine = ColumnEngine([])
    reread_column_pieces([page], engine, OcrConfig())
    assert engine.crops == [] and [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY"]


def test_reread_leaves_the_first_pages_header_to_its_own_second_reading():
    page = _closing_page()
    page.number = 1
    for line in page.blocks[0].lines:  # issuer | motto, where a pen-written number may sit
        line.bbox = (line.bbox[0], line.bbox[1] - 1000, line.bbox[2], line.bbox[3] - 1000)
    engine = ColumnEngine([])
    reread_column_pieces([page], engine, OcrConfig())
    assert engine.crops == [] and [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY", "~ HẠ LANG"]


def test_reread_leaves_lines_whose_gaps_do_not_line_up():
    page = _closing_page()
    # a second wide-gapped line whose left piece runs past the first one's gap: no common column gap
    page.blocks[0].lines.append(_line(("Điều", 300, 1350, 90.0), ("1.", 1600, 1640, 90.0), y=1500))
    engine = ColumnEngine([])
    reread_column_pieces([page], engine, OcrConfig())
    assert engine.crops == []


@pytest.mark.ocr
@requires_tesseract
def test_tesseract_workers_keep_the_pictures_in_order():
    """Pictures shared among side-by-side Tesseract runs come back in the order they were given."""
    import cv2

    from pipeline.ocr import TesseractEngine

    figures = ["12", "345", "6789", "7", "24680"]  # each its own length: the order shows even where a figure is misread
    pictures = []
    for text in figures:
        picture = np.full((80, 260), 255, np.uint8)
        cv2.putText(picture, text, (20, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3)
        pictures.append(picture)
    cfg = OcrConfig(psm=7)
    read = {w: ["".join(wd.text for b in blocks for ln in b.lines for wd in ln.words)
                for blocks in TesseractEngine().recognize_many(pictures, cfg.model_copy(update={"workers": w}), "0123456789")]
            for w in (1, 2, 3)}
    assert [len(r) for r in read[1]] == [len(f) for f in figures]
    assert read[2] == read[3] == read[1]


class FadedStampEngine:
    """A faded stamp with a broken frame: its text misreads "ĐẾN"; its digits hold a date or not."""

    name = "fake"
    figures: list[str] = []

    def check(self, cfg):
        pass

    def recognize_many(self, images, cfg, whitelist=None):
        rows = self.figures if whitelist else ["CỤC GIÁO DỤC", "UHỨN", ". 5S77R", "xe Ó4032029"]
        lines = [_line((text, 10, 200, 80.0), y=50 * i) for i, text in enumerate(rows)]
        return [[Block(bbox=(0, 0, 1, 1), lines=lines)] for _ in images]


@pytest.mark.parametrize("figures, kind", [(["5778", "04/03/2025"], "stamp"), (["5778", "0403"], "handwriting")])
def test_ocr_stamp_sized_ink_whose_den_was_misread_is_a_stamp_if_it_holds_a_date(monkeypatch, figures, kind):
    from pipeline import ocr

    monkeypatch.setitem(ocr.ENGINES, "faded", type("Faded", (FadedStampEngine,), {"figures": figures}))
    cfg = OcrConfig(engine="faded", reread_column_pieces=False, reread_header_lines=False, upside_down_below=0)
    mark = ocr.run(_stamped_doc("handwriting"), cfg).annotations[0]
    assert mark.kind == kind and bool(mark.readings) == (kind == "stamp")


def test_ocr_stamp_row_pieces_read_by_the_configured_model(monkeypatch):
    from pipeline import ocr

    calls: list[tuple[str, int]] = []

    class Recording(FadedStampEngine):
        figures = ["5778", "04/03/2025"]

        def recognize_many(self, images, cfg, whitelist=None):
            if whitelist:
                calls.append((cfg.lang, cfg.psm))
            return super().recognize_many(images, cfg, whitelist)

    monkeypatch.setitem(ocr.ENGINES, "recording", Recording)
    monkeypatch.setattr(ocr, "_tesseract_langs", lambda: frozenset({"vie", "eng"}))
    cfg = OcrConfig(engine="recording", reread_column_pieces=False, reread_header_lines=False, upside_down_below=0)
    ocr.run(_stamped_doc(), cfg)
    assert calls == [("vie", 6), ("eng", 7)]  # whole pictures by the page's model, row pieces by the Latin one
    calls.clear()
    ocr.run(_stamped_doc(), cfg.model_copy(update={"stamp_piece_lang": "xyz"}))  # not installed: the page's model
    assert calls == [("vie", 6), ("vie", 7)]


def _stamped_doc(kind: str = "stamp"):
    from pipeline.models import Annotation, Document, SourceInfo

    ink = np.full((400, 700), 255, np.uint8)
    doc = Document(doc_id="t", source=SourceInfo(path="t.pdf", sha256="0", kind="pdf-scan"))
    doc.pages = [Page(number=1, width=2480, height=3508, image=np.full((3508, 2480), 255, np.uint8))]
    doc.annotations = [Annotation(kind=kind, page=1, bbox=(200, 644, 908, 1068), image=ink, views=[ink],
                                  ink_removed=True)]
    return doc
