"""OCR passes: lines run across the closing's two columns read again; Tesseract runs side by side."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import OcrConfig, load_config
from pipeline.models import Annotation, Block, Page
from pipeline.ocr.reread import reread_column_pieces
from pipeline.work import Mark, attach
from tests.conftest import FakeEngine, blank_picture, blocks_of, line_of, scan_doc

_line = line_of


def column_engine(readings: list[list]) -> FakeEngine:
    """Reads the n-th crop as the lines given for it, in the crop's own coordinates."""
    crops = iter(readings)
    return FakeEngine(lambda image, cfg, whitelist: blocks_of(*next(crops)))


def _closing_page() -> tuple[Page, dict[int, np.ndarray]]:
    # "Nơi nhận:" (left) and "HẠ TẦNG VÀ GIAO THÔNG" (right) read as one line, the left piece as "~"
    merged = _line(("~", 300, 340, 0.0), ("HẠ", 1300, 1360, 93.0), ("LANG", 1370, 1480, 80.0), y=1400)
    whole = _line(
        ("CÔNG", 1250, 1400, 96.0), ("TY", 1410, 1460, 95.0), y=1370
    )  # one column only: not re-read
    page = Page(number=3, width=2400, height=3400)
    page.blocks = [Block(bbox=(300, 1370, 1480, 1440), lines=[whole, merged])]
    return page, {3: blank_picture(3400, 2400)}


def test_reread_reads_each_column_of_a_line_run_across_the_gap():
    page, pictures = _closing_page()
    engine = column_engine([
        [_line(("Nơi", 12, 80, 96.0), ("nhận:", 90, 200, 95.0), y=40)],  # left crop starts at x 288, y 1388
        [_line(("HẠ", 12, 70, 93.0), ("TẦNG", 80, 200, 91.0), y=12)],  # right crop starts at the gap's middle
    ])
    reread_column_pieces([page], pictures, engine, OcrConfig())
    lines = page.blocks[0].lines
    assert [(n, psm) for n, _, psm, _ in engine.calls] == [(2, 6)]
    assert [ln.text for ln in lines] == [
        "CÔNG TY",
        "HẠ TẦNG",
        "Nơi nhận:",
    ]  # top to bottom, in page coordinates
    left = lines[2].words[0].bbox
    assert left[0] == 300 and left[1] == 1428  # 288 + 12, 1388 + 40
    assert lines[1].words[0].bbox[0] == (340 + 1300) // 2 + 12


def test_reread_keeps_tesseracts_reading_where_the_columns_read_less_sure():
    page, pictures = _closing_page()
    engine = column_engine([[_line(("~", 12, 40, 5.0), y=40)], [_line(("H", 12, 40, 10.0), y=12)]])
    reread_column_pieces([page], pictures, engine, OcrConfig())
    assert [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY", "~ HẠ LANG"]


def test_reread_drops_a_line_the_crop_cut_that_was_read_whole_already():
    page, pictures = _closing_page()
    engine = column_engine(
        [
            [_line(("Nơi", 12, 80, 96.0), ("nhận:", 90, 200, 95.0), y=40)],
            # the bottom of "CÔNG TY" lies inside the right crop; its half-read copy must not come in twice
            [
                _line(("CÔNG", 450, 600, 90.0), y=0, h=20),
                _line(("HẠ", 12, 70, 93.0), ("TẦNG", 80, 200, 91.0), y=12),
            ],
        ]
    )
    reread_column_pieces([page], pictures, engine, OcrConfig())
    assert [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY", "HẠ TẦNG", "Nơi nhận:"]


def test_reread_leaves_a_page_without_column_gaps_unread():
    page, pictures = _closing_page()
    page.blocks[0].lines = page.blocks[0].lines[:1]
    engine = column_engine([])
    reread_column_pieces([page], pictures, engine, OcrConfig())
    assert engine.calls == [] and [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY"]


def test_reread_leaves_the_first_pages_header_to_its_own_second_reading():
    page, pictures = _closing_page()
    page.number = 1
    pictures = {1: pictures[3]}
    for line in page.blocks[0].lines:  # issuer | motto, where a pen-written number may sit
        line.bbox = (line.bbox[0], line.bbox[1] - 1000, line.bbox[2], line.bbox[3] - 1000)
    engine = column_engine([])
    reread_column_pieces([page], pictures, engine, OcrConfig())
    assert engine.calls == [] and [ln.text for ln in page.blocks[0].lines] == ["CÔNG TY", "~ HẠ LANG"]


def test_reread_leaves_lines_whose_gaps_do_not_line_up():
    page, pictures = _closing_page()
    # a second wide-gapped line whose left piece runs past the first one's gap: no common column gap
    page.blocks[0].lines.append(_line(("Điều", 300, 1350, 90.0), ("1.", 1600, 1640, 90.0), y=1500))
    engine = column_engine([])
    reread_column_pieces([page], pictures, engine, OcrConfig())
    assert engine.calls == []


@pytest.mark.ocr
def test_tesseract_workers_keep_the_pictures_in_order():
    """Pictures shared among side-by-side Tesseract runs come back in the order they were given."""
    import cv2

    from pipeline.ocr.tesseract import TesseractEngine

    figures = [
        "12",
        "345",
        "6789",
        "7",
        "24680",
    ]  # each its own length: the order shows even where a figure is misread
    pictures = []
    for text in figures:
        picture = np.full((80, 260), 255, np.uint8)
        cv2.putText(picture, text, (20, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3)
        pictures.append(picture)
    cfg = OcrConfig(psm=7)
    read = {
        w: [
            "".join(wd.text for b in blocks for ln in b.lines for wd in ln.words)
            for blocks in TesseractEngine().recognize_many(
                pictures, cfg.model_copy(update={"workers": w}), "0123456789"
            )
        ]
        for w in (1, 2, 3)
    }
    assert [len(r) for r in read[1]] == [len(f) for f in figures]
    assert read[2] == read[3] == read[1]


def faded_stamp_engine(figures: list[str]) -> FakeEngine:
    """A faded stamp with a broken frame: its text misreads "ĐẾN"; its digits hold a date or not."""

    def read(image, cfg, whitelist):
        rows = figures if whitelist else ["CỤC GIÁO DỤC", "UHỨN", ". 5S77R", "xe Ó4032029"]
        return blocks_of(*[_line((text, 10, 200, 80.0), y=50 * i) for i, text in enumerate(rows)])

    return FakeEngine(read)


NO_REREADS = ["ocr.reread_column_pieces=false", "ocr.reread_header_lines=false", "ocr.upside_down_below=0"]


@pytest.mark.parametrize(
    "figures, kind", [(["5778", "04/03/2025"], "stamp"), (["5778", "0403"], "handwriting")]
)
def test_ocr_stamp_sized_ink_whose_den_was_misread_is_a_stamp_if_it_holds_a_date(use_engine, figures, kind):
    from pipeline import ocr

    cfg = load_config(overrides=[f"ocr.engine={use_engine(faded_stamp_engine(figures))}", *NO_REREADS])
    mark = ocr.run(_stamped_doc("handwriting"), cfg).annotations[0]
    assert mark.kind == kind and bool(mark.readings) == (kind == "stamp")


def test_ocr_stamp_row_pieces_read_by_the_configured_model(use_engine):
    from pipeline import ocr

    engine = faded_stamp_engine(["5778", "04/03/2025"])
    cfg = load_config(overrides=[f"ocr.engine={use_engine(engine)}", *NO_REREADS])
    ocr.run(_stamped_doc(), cfg)
    # whole pictures by the page's model, row pieces by the Latin one
    assert [(lang, psm) for _, lang, psm, whitelist in engine.calls if whitelist] == [("vie", 6), ("eng", 7)]
    engine.calls.clear()
    cfg.ocr.stamp_piece_lang = "xyz"  # not installed: the page's model
    ocr.run(_stamped_doc(), cfg)
    assert [(lang, psm) for _, lang, psm, whitelist in engine.calls if whitelist] == [("vie", 6), ("vie", 7)]


def test_ocr_writes_the_marks_it_keeps_and_leaves_the_pictures_alone(use_engine):
    from pipeline import ocr

    cfg = load_config(overrides=[f"ocr.engine={use_engine(faded_stamp_engine(['5778', '04/03/2025']))}",
                                 *NO_REREADS])
    doc = _stamped_doc()
    picture = doc._work.pictures[1].copy()
    ocr.run(doc, cfg)
    assert [(a.kind, a.ink_removed) for a in doc.annotations] == [("stamp", True)]
    assert doc.annotations[0].readings and np.array_equal(doc._work.pictures[1], picture)
    assert doc.pages[0].rotation == 0 and doc.pages[0].blocks


def _stamped_doc(kind: str = "stamp"):
    ink = np.full((400, 700), 255, np.uint8)
    doc = scan_doc(Page(number=1, width=2480, height=3508))
    work = attach(doc)
    work.pictures[1] = blank_picture()
    work.marks = [Mark(Annotation(kind=kind, page=1, bbox=(200, 644, 908, 1068), ink_removed=True),
                       image=ink, views=[ink])]
    return doc
