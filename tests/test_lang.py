"""The shared language package: dates against the calendar, the stamp's one vocabulary, letters."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.extract.references import find_deadline, find_references
from pipeline.lang.dates import day_month, dmy_date, figure_date, iso_date
from pipeline.lang.letters import has_marked_letter
from pipeline.lang.stamps import STAMP_FIELD, STAMP_HEAD, STAMP_WORDS, read_text_stamp
from tests.conftest import run_text_stages


@pytest.mark.parametrize(
    "ymd, iso",
    [
        ((2025, 2, 28), "2025-02-28"),
        ((2024, 2, 29), "2024-02-29"),
        ((2025, 2, 29), None),
        ((2025, 2, 31), None),
        ((2025, 4, 31), None),
        ((2025, 13, 1), None),
        ((2025, 0, 5), None),
        (("2026", "7", "02"), "2026-07-02"),
    ],
)
def test_lang_iso_date_checks_the_calendar(ymd, iso):
    assert iso_date(*ymd) == iso


def test_lang_day_and_month_exist_in_some_year():
    assert day_month(29, 2) == (29, 2) and day_month(30, 2) is None and day_month(31, 11) is None


@pytest.mark.parametrize(
    "text, iso",
    [("04/10/2015", "2015-10-04"), ("9.3.26", "2026-03-09"), ("31/2/2025", None), ("1/1/1850", None)],
)
def test_lang_dmy_date(text, iso):
    assert dmy_date(text) == iso


def test_lang_figure_date_of_a_pen_without_slashes():
    assert figure_date("04032025") == "2025-03-04" and figure_date("31022025") is None


PLAN = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: 5/KH-UBND", "Hà Giang, ngày 31 tháng 2 năm 2026", "KẾ HOẠCH",
        "Phòng chống dịch", "Căn cứ Quyết định số 18/2011/QĐ-TTg ngày 30/02/2011 của Thủ tướng Chính phủ;",
        "I. TỔ CHỨC THỰC HIỆN", "1. Sở Y tế", "- Chủ trì triển khai trước ngày 31/4/2026.",
        "- Báo cáo trước ngày 31/2 hàng năm."]


def test_lang_impossible_dates_are_null_with_an_issue():
    doc = run_text_stages(PLAN)
    messages = " ".join(i.message for i in doc.issues)
    assert doc.metadata.date is None and doc.metadata.place == "Hà Giang"
    assert "header date '31/2/2026' is no calendar day" in messages
    (ref,) = [r for r in doc.references if r.number == "18"]
    assert ref.date is None and ref.year == 2011 and "30/02/2011" in messages
    first, second = doc.agencies[0].duties
    assert first.deadline.kind == "before" and first.deadline.date is None and "31/4/2026" in messages
    assert second.deadline.kind == "annual" and second.deadline.month_day is None
    assert "could not be read" not in messages  # a printed day is no pen's blank


def test_lang_every_date_a_document_gives_is_one_pandas_reads():
    doc = run_text_stages(
        [
            line.replace("31 tháng 2", "28 tháng 2").replace("30/02", "18/03").replace("31/4", "30/4")
            for line in PLAN
        ]
    )
    dates = [doc.metadata.date] + [r.date for r in doc.references] + [
        d.deadline.date for a in doc.agencies for d in a.duties if d.deadline and d.deadline.date]
    assert None not in dates and len(dates) == 3  # header, reference, first deadline (the other is yearly)
    assert pd.to_datetime(pd.Series(dates), format="%Y-%m-%d").notna().all()


def test_lang_references_and_deadlines_note_only_when_asked():
    notes: list[str] = []
    assert find_references("theo Quyết định số 1/QĐ-UBND ngày 31/02/2020", notes)[0].date is None and notes
    assert find_deadline("hoàn thành trước ngày 31/4/2026").date is None  # no notes list: nothing said


def test_lang_one_stamp_vocabulary_gives_every_pattern():
    assert {"den", "so", "ngay", "chuyen", "luu", "ho", "hs", "cong", "van"} == STAMP_WORDS
    assert STAMP_HEAD.match("CÔNG VĂN ĐẾN SỐ:..... 1860") and STAMP_HEAD.match("ĐẾN")
    assert not STAMP_HEAD.match("SỞ NỘI VỤ")
    fields = [
        m.group("label") for m in STAMP_FIELD.finditer("SỐ:..... 1860 NGÀY:..... 04/10/2015 LUU HỒ:..... x")
    ]
    assert fields == ["SỐ", "NGÀY", "LUU HỒ"]


def test_lang_text_file_stamp_read_from_its_lines():
    reg = read_text_stamp(
        [
            "BAN DÂN TỘC T. BẮC GIANG",
            "CÔNG VĂN ĐẾN SỐ:..... 1860",
            "NGÀY:..... 04/10/2015",
            "CHUYỂN:..... Căn cứ",
            "LUU HỒ:..... nâng cao hiệu lực, hiệu quả quản lý nhà nước về",
        ]
    )
    assert (reg.receiver, reg.number, reg.date, reg.forwarded_to, reg.file_no) == (
        "BAN DÂN TỘC T. BẮC GIANG",
        "1860",
        "2015-10-04",
        None,
        None,
    )  # body text the stamp covered is no field


@pytest.mark.parametrize("word, marked", [("Quyết", True), ("đến", True), ("DEN", False), ("UBND", False)])
def test_lang_marked_letters(word, marked):
    assert has_marked_letter(word) is marked
