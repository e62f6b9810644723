"""Stamps, seals and pen marks: parsed, kept out of the text, reported (small generated pages)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.lang.dates import figure_date
from pipeline.lang.stamps import parse_stamp
from pipeline.models import Document, Page, Registration, SourceInfo
from pipeline.segment.registration import Figures, check_against_document, figure_notes, vote_figures
from pipeline.synth.layout import render_layout
from pipeline.synth.noise import Noise, apply_noise
from pipeline.work import attach

MINI = {
    "header": {
        "issuer_parent": "UBND TỈNH NINH BÌNH",
        "issuer": "SỞ NỘI VỤ",
        "number": "312",
        "symbol": "SNV-CCVC",
        "place": "Ninh Bình",
        "date": "2026-11-16",
        "document_type": "KẾ HOẠCH",
        "subject": "Đánh giá, xếp loại chất lượng công chức năm 2026",
    },
    "preamble": [
        "Căn cứ Nghị định số 90/2020/NĐ-CP ngày 13/8/2020 của Chính phủ về đánh giá, xếp loại chất lượng "
        "cán bộ, công chức, viên chức; Sở Nội vụ ban hành Kế hoạch triển khai như sau:"
    ]
    * 3,
    "sections": [
        {
            "number": "I",
            "title": "TỔ CHỨC THỰC HIỆN",
            "paragraphs": [],
            "items": [
                {
                    "number": "1",
                    "title": "Sở Tài chính",
                    "heading": "1. Sở Tài chính",
                    "paragraphs": [
                        "- Chủ trì, phối hợp với Sở Nội vụ bảo đảm kinh phí thực hiện trước ngày 15/12/2026."
                    ],
                }
            ],
        }
    ],
    "postamble": [],
    "closing": {
        "signer_lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        "signer_name": "Lê Văn An",
        "recipients": ["Lưu: VT."],
    },
    "noise": {
        "registration": {
            "receiver": "UBND HUYỆN NHO QUAN",
            "label": "ĐẾN",
            "number": "4127",
            "date": "2026-11-20",
            "forwarded_to": "P. Nội vụ",
        },
        "handwriting": ["Gấp"],
    },
}


def _document(noise: Noise) -> Document:
    layout = render_layout(MINI, dpi=noise.dpi, hand_fields=noise.hand_fields)
    pages = apply_noise(layout, MINI, noise)
    doc = Document(doc_id="mini", source=SourceInfo(path="mini.pdf", sha256="0", kind="pdf-scan"))
    work = attach(doc)
    for number, page in enumerate(pages, 1):
        rgb = np.asarray(page.convert("RGB"))
        doc.pages.append(Page(number=number, dpi=noise.dpi))
        work.pictures[number] = np.ascontiguousarray(rgb[:, :, ::-1])
    return doc


def _run(doc: Document) -> Document:
    from pipeline import clean, ocr, preprocess, segment
    from pipeline.config import load_config

    cfg = load_config()
    for stage in (preprocess, ocr, clean, segment):
        doc = stage.run(doc, cfg)
    return doc


@pytest.mark.ocr
def test_marks_colour_stamp_read_and_kept_out_of_text():
    doc = _run(_document(Noise(stamp=True, notes=True, seed=4, jpeg_quality=75, dpi=200)))
    assert doc.registration is not None
    assert (doc.registration.number, doc.registration.date) == ("4127", "2026-11-20")
    assert "4127" not in doc.text and "ĐẾN" not in doc.text and "Gấp" not in doc.text
    # the body line under the stamp is still read (where the pen crossed the print, letters may suffer)
    assert "Nghị định số 90/2020/NĐ-CP ngày 13/8/2020" in doc.preamble[0]
    assert any(a.kind == "stamp" for a in doc.annotations)


@pytest.mark.ocr
def test_marks_handwritten_number_and_date_filled_and_reported():
    doc = _run(_document(Noise(hand_fields=True, seed=5, jpeg_quality=75, dpi=200)))
    assert (doc.metadata.number, doc.metadata.date) == ("312", "2026-11-16")
    messages = " ".join(i.message for i in doc.issues)
    assert "number '312' is handwritten" in messages and "date '2026-11-16' is handwritten" in messages


def test_marks_gray_seal_found_by_shape():
    doc = _document(Noise(seal=True, grayscale=True, seed=6))
    from pipeline import preprocess
    from pipeline.config import load_config

    preprocess.run(doc, load_config())
    assert any(m.annotation.kind == "seal" for m in doc._work.marks)


@pytest.mark.parametrize("text, number, date, receiver", [
    ("SỞ NỘI VỤ TỈNH THANH HÓA\nĐẾN\nSố: 1245\nNgày: 09/03/2026\nChuyển: P. CCHC", "1245", "2026-03-09",
     "SỞ NỘI VỤ TỈNH THANH HÓA"),
    ("CÔNG VĂN ĐẾN Số: 1860\nNGÀY: 04/10/2015", "1860", "2015-10-04", None),
    ("| sử 1245 |\nxa. — 09/03/2026, |", "1245", "2026-03-09", None),  # labels misread
])
def test_marks_stamp_fields(text, number, date, receiver):
    reg = parse_stamp(text)
    assert (reg.number, reg.date, reg.receiver) == (number, date, receiver)


def test_marks_registration_year_follows_from_document_date():
    reg = Registration(number="4127")
    notes = check_against_document(
        reg, Figures(day_month=(18, 11)), "2026-11-16"
    )  # "18/11/20?": year illegible
    assert reg.date == "2026-11-18" and "2026 follows from the document date" in notes[-1]
    reg = Registration(number="4127", date="2072-11-18")  # a whole date read wrong: nothing sure, dropped
    notes = check_against_document(reg, Figures(), "2026-11-16")
    assert reg.date is None and "impossible" in notes[0]
    reg = Registration(number="1", date="2020-11-16")
    check_against_document(reg, Figures(), "2026-11-16")
    assert reg.date is None  # 16 November fits 2026 and 2027 alike: unknowable, left empty


def test_marks_registration_day_that_no_calendar_has_is_no_date():
    reg = Registration(number="4127")  # "29/02" read where no year was legible: 2026 and 2027 have none
    assert check_against_document(reg, Figures(day_month=(29, 2)), "2026-01-16") == []
    assert reg.date is None
    reg = Registration(number="4127")
    check_against_document(reg, Figures(day_month=(29, 2)), "2027-06-01")  # 2028 is a leap year
    assert reg.date == "2028-02-29"


def test_marks_noise_levels_exist():
    from pipeline.synth.noise import LEVELS

    assert {"clean", "noisy", "heavy", "heavy-gray"} <= set(LEVELS)
    assert LEVELS["heavy-gray"].grayscale and replace(LEVELS["heavy"], seed=3).seed == 3


@pytest.mark.parametrize(
    "text, readings, number, date",
    [
        # the text pass misread the date, two of three digit readings read it right
        (
            "ĐẾN\nSố: 17889\nNgay 2392/2025",
            ["6\n17889\n23/02/2025", "734\n17889\n8 23/22/2025", "14\n17889\n2302/2025"],
            "17889",
            "2025-02-23",
        ),
        # the text pass read a speck as the number; the digit readings agree on the line above the date
        (
            "ĐẾN\n`, 1 Z15 (\nNgày 17/05/2025",
            ["/01\n8.1715\n17/05/2025", "1715\n17/05/2025"],
            "1715",
            "2025-05-17",
        ),
        # no labelled reading at all: the row order still tells the number from the date
        ("", ["16605\n04032025"], "16605", "2025-03-04"),
        # nothing that parses as a date: no figure is guessed from the digit readings
        ("", ["611234\n.."], None, None),
        # a speck's row between number and date; a print remnant read beside the figure, a wide gap apart
        ("", ["16605\n3\n04032025", "4 16605 1\n04/03/2025"], "16605", "2025-03-04"),
    ],
)
def test_marks_stamp_figures_voted(text, readings, number, date):
    reg = parse_stamp(text)
    vote_figures(reg, readings)
    assert (reg.number, reg.date) == (number, date)


@pytest.mark.parametrize("line, iso", [("23/02/2025", "2025-02-23"), ("04032025", "2025-03-04"),
                                       ("2302/2025", "2025-02-23"), ("2322/2025", None), ("17889", None)])
def test_marks_figure_date(line, iso):
    assert figure_date(line) == iso


def test_marks_registration_date_candidates_checked_against_document():
    reg = Registration(number="8", date="2024-07-05")
    notes = check_against_document(
        reg, Figures({"date": {"2024-07-05": 2.0, "2025-03-07": 1.5}}), "2025-03-05"
    )
    assert reg.date == "2025-03-07" and "only 2025-03-07 can follow" in notes[0]


def _stamp_page(frame_gaps: bool, frame: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """An A4 page at 300 dpi with a blue 50 x 30 mm box of stamp text; black print lines cross it."""
    import cv2

    page = np.full((3508, 2480, 3), 255, np.uint8)
    mm = 2480 / 210
    x, y, w, h = int(30 * mm), int(60 * mm), int(50 * mm), int(30 * mm)
    blue = (170, 60, 35)  # BGR
    if frame:
        cv2.rectangle(page, (x, y), (x + w, y + h), blue, 6)
    for row, text in enumerate(["SO NOI VU", "DEN", "So: 4127", "Ngay: 20/11/2026"]):
        cv2.putText(page, text, (x + 25, y + 60 + row * 80), cv2.FONT_HERSHEY_SIMPLEX, 1.5, blue, 4)
    if frame_gaps:  # lines of print cross the stamp: where a letter's stroke meets the ink it is black
        for line_y in range(y - 20, y + h + 40, int(8 * mm)):
            for stroke_x in range(x - 60, x + w + 400, 14):
                page[line_y:line_y + int(3 * mm), stroke_x:stroke_x + 4] = 20
    return page, cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).copy()


@pytest.mark.parametrize("frame_gaps, frame, kind", [(False, True, "stamp"), (True, True, "stamp"),
                                                     (False, False, "handwriting")])
def test_marks_colour_stamp_found_by_its_frame(frame_gaps, frame, kind):
    from pipeline.config import load_config
    from pipeline.preprocess.marks import colour_ink

    page, gray = _stamp_page(frame_gaps, frame)
    found = colour_ink(page, gray, 1, load_config().preprocess)
    assert {m.annotation.kind for m in found} == {kind}


def test_marks_stamp_figures_weighed_by_confidence():
    # two sizes dropped the last stroke of "16438" and said so by their confidence
    readings = [[("3", 0), ("1643", 49), (".13/07/2026", 0)], [("16438", 83), ("1307/2026", 0)],
                [("1643", 0), (".13/07/2026", 0)], [("16438", 74), ("13/07/2026.", 0)]]
    reg = Registration()
    vote_figures(reg, readings)
    assert (reg.number, reg.date) == ("16438", "2026-07-13")


def test_marks_stamp_day_and_month_voted_when_no_year_reads():
    reg = Registration()
    figures = vote_figures(
        reg, [[("16438", 80), ("13/07/2?2", 10)], [("16438", 70), ("13/07/", 20)], [("1643", 10)]]
    )
    assert reg.date is None and figures.day_month == (13, 7)
    assert reg.number == "16438"  # the row the day and month open is the date's row: the number is above it
    check_against_document(reg, figures, "2026-07-10")
    assert reg.date == "2026-07-13"


def test_marks_stamp_day_and_month_of_one_unsure_reading_is_no_date():
    # a real stamp's "20 / 7 /2026" in a hand Tesseract cannot read: one of many readings gave "5/10."
    reg = Registration()
    figures = vote_figures(reg, [[("440", 0), ("920.../2", 0)], [("5/10.", 0), ("20.../2", 0)],
                                 [("440", 0), ("9.. /2", 19)]])
    assert reg.date is None and figures.day_month is None
    assert check_against_document(reg, figures, "2026-07-08") == [] and reg.date is None


def test_marks_stamp_figure_few_readings_back_is_kept_and_reported():
    # seed 23 of cv-312: a line of print runs through "11957"; the readings split three ways
    sure = [("11", 96), ("02/12/2026", 94)]
    reg = Registration()
    figures = vote_figures(
        reg,
        [
            sure,
            sure,
            sure,
            [("1188", 0), ("02/12/2026", 0)],
            [("1188", 0), ("02/12/2026", 0)],
            [("1183", 0), ("02/12/2026", 0)],
            [("1183", 45), ("02/12/2026", 91)],
        ],
    )
    assert (reg.number, reg.date) == ("11", "2026-12-02")  # 3 x 1.96 of 3 x 1.96 + 2 x 1 + 1 + 1.45
    notes = figure_notes(reg, figures, [])
    assert (
        len(notes) == 1 and "number '11' is backed by only 57%" in notes[0] and "'1183', '1188'" in notes[0]
    )


def test_marks_stamp_figures_most_readings_back_are_not_reported():
    reg = Registration()
    figures = vote_figures(reg, [[("4840", 90), ("02/12/2026", 90)]] * 4 + [[("4846", 0), ("02/12/2026", 0)]])
    assert reg.number == "4840" and figure_notes(reg, figures, []) == []


def test_marks_stamp_figures_not_read_are_reported_once():
    reg = Registration(
        receiver="SỞ CÔNG THƯƠNG LÀO CAI"
    )  # a real stamp's "14708" and "20 / 7" read as nothing
    assert figure_notes(reg, Figures(), []) == [
        "registration number: the stamp's pen figures could not be read; left empty",
        "registration date: the stamp's pen figures could not be read; left empty"]
    said = ["registration date read as 2027-01-05, impossible for a document dated 2026-07-08; left empty"]
    assert len(figure_notes(reg, Figures(), said)) == 1


def test_marks_stamp_routing_scrawl_is_no_forwarded_to():
    assert parse_stamp("ĐẾN\nSố: 3425\nChuyển: ŠÕb").forwarded_to is None  # real qd-26: the pen's note
    assert (
        parse_stamp("ĐẾN\nSố: 3425\nChuyển: P. Kế hoạch - Tài chính").forwarded_to
        == "P. Kế hoạch - Tài chính"
    )


def test_marks_registration_checked_against_printed_year_when_header_date_illegible():
    reg = Registration(number="292", date="2028-03-26")  # year misread, header day and month too
    notes = check_against_document(reg, Figures(day_month=(26, 3)), None, 2025)
    assert reg.date == "2025-03-26" and "impossible for a document of 2025" in notes[0]
    assert (
        check_against_document(Registration(date="2028-03-26"), Figures(), None, None) == []
    )  # nothing to check
    reg = Registration(number="16262", date="2020-07-06")  # cv-1045 heavy-gray seed 3: the pen's 6 read 0
    notes = check_against_document(reg, Figures(), None, 2026)
    assert reg.date == "2026-07-06" and "2026 follows" in notes[-1]


def _gray_stamp_page(tilt_deg: float) -> np.ndarray:
    """A grayscale A4 page at 300 dpi: a 50 x 32 mm stamp in mid-gray ink, pressed *tilt_deg* off
    the print, and a line of black print running through it."""
    import cv2

    page = np.full((3508, 2480, 3), 255, np.uint8)
    mm = 2480 / 210
    cx, cy, w, h = int(55 * mm), int(76 * mm), 50 * mm, 32 * mm
    ink = (115, 115, 115)
    cv2.polylines(page, [cv2.boxPoints(((cx, cy), (w, h), tilt_deg)).astype(np.int32)], True, ink, 5)
    x0, y0 = int(cx - w / 2), int(cy - h / 2)
    for row, text in enumerate(["SO NOI VU", "DEN", "So: 4127", "Ngay: 20/11/2026"]):
        cv2.putText(page, text, (x0 + 30, y0 + 70 + row * 85), cv2.FONT_HERSHEY_SIMPLEX, 1.4, ink, 4)
    cv2.putText(page, "2025 PRINT", (x0 + 330, y0 + 240), cv2.FONT_HERSHEY_SIMPLEX, 2.2, (5, 5, 5), 7)
    return page


@pytest.mark.parametrize("tilt", [0.0, 1.5, -2.0])
def test_marks_gray_stamp_separated_from_the_print_behind_it(tilt):
    import cv2

    from pipeline.config import load_config
    from pipeline.preprocess.marks import gray_stamps

    page = _gray_stamp_page(tilt)
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    before = gray.copy()
    found = gray_stamps(page, gray, 1, load_config().preprocess)
    assert [m.annotation.kind for m in found] == ["stamp"]
    x0, y0, x1, y1 = found[0].annotation.bbox
    crop, was = found[0].image, before[y0:y1, x0:x1]
    printed = was < 60
    label = (
        (was > 100) & (was < 130) & (cv2.dilate(printed.astype(np.uint8), np.ones((25, 25), np.uint8)) == 0)
    )
    # the stamp's crop keeps its labels and loses the print; the page keeps the print and loses the labels
    assert (crop[label] < 170).mean() > 0.6 and (crop[printed] > 200).mean() > 0.95
    assert (gray[y0:y1, x0:x1][printed] < 60).mean() > 0.95 and (gray[y0:y1, x0:x1][label] > 200).mean() > 0.9


def test_marks_colour_stamp_also_pictured_by_darkness_without_print():
    from pipeline.config import load_config
    from pipeline.preprocess.marks import colour_ink

    page, gray = _stamp_page(frame_gaps=True)
    found = colour_ink(page, gray, 1, load_config().preprocess)
    (stamp,) = found
    (view,) = stamp.views
    x0, y0, x1, y1 = stamp.annotation.bbox
    printed = page[y0:y1, x0:x1].max(axis=2) < 60
    blue = (page[y0:y1, x0:x1, 0] == 170) & (page[y0:y1, x0:x1, 2] == 35)
    assert view.shape == stamp.image.shape
    assert (view[blue] < 170).mean() > 0.4  # the stamp's ink is there (less where print crossed it)
    assert (view[printed] > 200).mean() > 0.95  # the print's black strokes are gone


def _gray_page_with_note(print_ink: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A grayscale page at 300 dpi: lines of print in *print_ink* gray, a pen note in mid-gray
    between two of them, and specks. Returns the page and the note's box."""
    import cv2

    page = np.full((3508, 2480, 3), 255, np.uint8)
    for row in range(12):
        cv2.putText(page, "Can cu Nghi dinh so 90/2020/ND-CP ngay 13/8/2020", (250, 600 + row * 90),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.6, (print_ink,) * 3, 4)
    cv2.putText(
        page, "Kinh chuyen A. Nam", (1600, 1230), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 2.0, (110, 110, 110), 4
    )
    rng = np.random.default_rng(3)
    for y, x in rng.integers(0, [3508, 2480], size=(400, 2)):
        page[y:y + 4, x:x + 4] = 30  # black specks, some on the note's strokes
    return page, (1590, 1170, 2200, 1250)


@pytest.mark.parametrize("print_ink, found_note", [(10, True), (120, False)])
def test_marks_gray_pen_note_lighter_than_print_whitened(print_ink, found_note):
    import cv2

    from pipeline.config import load_config
    from pipeline.preprocess.marks import gray_pen

    page, (x0, y0, x1, y1) = _gray_page_with_note(print_ink)
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    before = gray.copy()
    found = gray_pen(page, gray, 1, load_config().preprocess)
    note = (before[y0:y1, x0:x1] > 90) & (before[y0:y1, x0:x1] < 130)
    if found_note:  # the note is gone from the page and reported where it was; the print stays
        assert [m.annotation.kind for m in found] == ["handwriting"]
        ys, xs = np.nonzero(note)
        bx0, by0, bx1, by1 = found[0].annotation.bbox
        assert bx0 <= x0 + xs.min() and by0 <= y0 + ys.min() and bx1 >= x0 + xs.max() and by1 >= y0 + ys.max()
        assert (gray[y0:y1, x0:x1][note] > 200).mean() > 0.95
        printed = before < 60
        printed[y0:y1, x0:x1] = False
        assert (gray[printed] < 60).mean() > 0.99
    else:  # print as pale as the pen: nothing tells them apart, nothing is touched
        assert found == [] and np.array_equal(gray, before)


def test_marks_gray_stamp_frame_erased_without_cutting_the_print_it_crosses():
    """The stamp's bottom rule runs along the baseline of a blurred line of print: the rule goes,
    the glyphs resting on it and crossing it stay (a whitened band of the rule's height cut them)."""
    import cv2

    from pipeline.config import load_config
    from pipeline.preprocess.marks import gray_stamps

    page = np.full((3508, 2480), 255, np.uint8)
    mm = 2480 / 210
    x0, y0, x1, y1 = int(30 * mm), int(60 * mm), int(80 * mm), int(92 * mm)
    cv2.rectangle(page, (x0, y0), (x1, y1), 115, 5)
    for row, text in enumerate(["SO NOI VU", "DEN", "So: 4127"]):
        cv2.putText(page, text, (x0 + 30, y0 + 70 + row * 85), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 115, 4)
    printed = np.full(page.shape, 255, np.uint8)
    cv2.putText(
        printed, "Can cu Luat To chuc chinh quyen", (x0 + 150, y1 + 4), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3
    )
    printed = cv2.GaussianBlur(printed, (0, 0), 1.5)
    gray = np.minimum(page, printed)
    before = gray.copy()
    found = gray_stamps(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), gray, 1, load_config().preprocess)
    assert [m.annotation.kind for m in found] == ["stamp"]
    glyphs = printed < 100
    rule = (before < 140) & (cv2.dilate(glyphs.astype(np.uint8), np.ones((15, 15), np.uint8)) == 0)
    rule[:y1 - 10] = False  # the bottom rule, away from the print
    assert rule.sum() > 500 and (gray[rule] > 200).mean() > 0.95
    assert (gray[glyphs] < 140).mean() > 0.9


def test_marks_pen_note_grown_along_its_row():
    """A note that crosses print breaks into pieces; those beside a sure piece on its row join it."""
    from pipeline.preprocess.marks import _note_rows

    sure = ((2268, 2180, 2476, 2272), True)
    beside = [((2104, 2204, 2208, 2276), False), ((2008, 2192, 2088, 2284), False)]  # chained, 16-60 px apart
    other_row = ((2104, 2300, 2208, 2380), False)
    far = ((1200, 2190, 1300, 2280), False)
    notes = _note_rows([sure, *beside, other_row, far], gap=94)
    assert notes == [(2008, 2180, 2476, 2284)]
    assert _note_rows([b for b in beside], gap=94) == []  # no sure piece, no note


@pytest.mark.parametrize("text, is_stamp", [
    ("SỞ Y TẾ\nĐẾN\nSố: 17868", True),
    ("THƯỚC băm 20277\nSố: 17868\nNay — 3Ợ/06/ 77\nChuyến #Ð, Kế hoậch - Tài", True),  # "Ngày" misread
    ("Số: 17868\nNgày 30/06/2026", True),
    ("SỞ NỘI VỤ\nChuyển giao hồ sơ", False),  # a receiver's "SỞ" is no "Số:" label
    ("Căn cứ Luật\nngày 5 tháng 3", False),
])
def test_marks_stamp_known_by_its_labels(text, is_stamp):
    from pipeline.lang.stamps import is_stamp_text

    assert is_stamp_text(text) is is_stamp


def test_marks_print_with_a_colour_cast_is_no_mark():
    """A scanner's colour cast makes dark print 'saturated' (channels 63, 46, 49); only real ink
    (here a blue pen note) is a mark, and the tinted print is not whitened."""
    import cv2

    from pipeline.config import load_config
    from pipeline.preprocess.marks import colour_ink

    page = np.full((3508, 2480, 3), 255, np.uint8)
    for row in range(10):
        cv2.putText(page, "CONG HOA XA HOI CHU NGHIA", (300, 600 + row * 120), cv2.FONT_HERSHEY_SIMPLEX, 2.0,
                    (63, 46, 49), 6)
    cv2.putText(
        page, "Chuyen P. Noi vu", (1500, 2200), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 2.0, (200, 90, 30), 4
    )
    gray = page.max(axis=2).copy()
    before = gray.copy()
    found = colour_ink(page, gray, 1, load_config().preprocess)
    assert [m.annotation.kind for m in found] == ["handwriting"]
    x0, y0, x1, y1 = found[0].annotation.bbox
    assert x0 >= 1450 and y0 >= 2100 and y1 <= 2260  # the pen note, nothing of the print
    printed = before < 80
    assert (gray[printed] == before[printed]).all()
