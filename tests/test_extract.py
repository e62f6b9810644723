from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.agencies import agency_name, canonical, role
from pipeline.extract.references import find_deadline, find_references
from pipeline.lang.letters import fold
from pipeline.lang.lists import gazetteer, read_list

LISTS = sorted((Path(__file__).resolve().parent.parent / "configs" / "lists").glob("agencies*.txt"))


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_extract_agency_list_is_valid(path):
    rows = read_list(path)
    names = [fold(c) for c, _ in rows]
    assert rows and len(names) == len(set(names)), "duplicate canonical names"
    gaz = gazetteer((str(path),))
    for _, aliases in rows:
        for alias in aliases:
            assert gaz.lookup(alias) in {c for c, _ in rows}


@pytest.mark.parametrize("title, name", [
    ("Sở Tài chính", "Sở Tài chính"),
    ("Sở Tài chính:", "Sở Tài chính"),
    ("Đề nghị Hội Liên hiệp Phụ nữ tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"),
    ("Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
    ("Mục đích", None),
    ("Yêu Cầu", None),
    ("", None),
])
def test_extract_agency_heading(title, name, lists):
    assert agency_name(title, lists) == name


@pytest.mark.parametrize("name, expected", [
    ("Chi nhánh Ngân hàng Chính sách xã hội tỉnh Bắc Giang", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
    ("Công an tỉnh Quảng Ngãi", "Công an tỉnh"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Sở Nông nghiệp và Phát triển Nông thôn", "Sở Nông nghiệp và Phát triển nông thôn"),
])
def test_extract_canonical_name_any_province(name, expected, lists):
    assert canonical(name, lists.gazetteer) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chủ trì, phối hợp với Sở Tài chính cân đối nguồn vốn", "lead"),
        ("Phối hợp với Ban Dân tộc tuyên truyền", "cooperate"),
        ("Tham mưu cho Ủy ban nhân dân tỉnh ban hành", "advise"),
        ("Tăng cường công tác khuyến nông", "other"),
        # the role word comes late in the first sentence: that sentence still decides
        (
            "Căn cứ chức năng, nhiệm vụ được giao, các phòng chuyên môn của đơn vị chủ động phối hợp với "
            "Sở Tài chính. "
            "Chủ trì kiểm tra.",
            "cooperate",
        ),
        # "TP." does not end the sentence, so the role stays that of its first sentence
        ("Phối hợp với UBND TP. Bắc Giang rà soát; chủ trì tổng hợp báo cáo.", "cooperate"),
        ("Tổng hợp số liệu đúng hạn. Tham mưu Ủy ban nhân dân tỉnh chỉ đạo.", "advise"),
    ],
)
def test_extract_role(text, expected, lists):
    assert role(text, lists) == expected


def test_extract_reference_fields():
    (ref,) = find_references("theo Quyết định số 18/2011/QĐ-TTg ngày 18/3/2011 của Thủ tướng Chính phủ")
    assert (ref.type, ref.number, ref.year, ref.symbol, ref.issuer_code, ref.date) == (
        "Quyết định", "18", 2011, "QĐ-TTg", "TTg", "2011-03-18")


def test_extract_reference_spaced_by_ocr():
    (ref,) = find_references("Căn cứ Chỉ thị số 28 / CT - TTg ngày 10/9/2014")
    assert (ref.number, ref.symbol, ref.date) == ("28", "CT-TTg", "2014-09-10")


@pytest.mark.parametrize("text, kind, field, value", [
    ("gửi về Ban Dân tộc tỉnh (trước ngày 30/11 hàng năm)", "annual", "month_day", "11-30"),
    ("hoàn thành trước ngày 15/4/2026", "before", "date", "2026-04-15"),
    ("triển khai trong quý I/2026", "quarter", "quarter", 1),
    ("thực hiện trong giai đoạn 2016-2020", "period", "start_year", 2016),
    ("báo cáo định kỳ 6 tháng", "periodic", "months", 6),
])
def test_extract_deadline(text, kind, field, value):
    d = find_deadline(text)
    assert d is not None and d.kind == kind and getattr(d, field) == value


def test_extract_no_deadline():
    assert find_deadline("Tăng cường công tác kiểm tra, giám sát") is None


@pytest.mark.parametrize(
    "ocr, printed",
    [
        (
            "Chỉ nhánh Ngân hàng Chính sách xã hội tỉnh Bắc Giang",
            "Chi nhánh Ngân hàng Chính sách xã hội tỉnh Bắc Giang",
        ),
        ("Sở Giáo dục và Đảo tạo", "Sở Giáo dục và Đào tạo"),
        ("Bọ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Sở Tài chính", "Sở Tài chính"),
        ("Hội Nông dân xã Tân Lập", "Hội Nông dân xã Tân Lập"),  # not listed: left as read
    ],
)
def test_extract_repairs_diacritics_of_listed_names(ocr, printed, lists):
    from pipeline.extract.agencies import repair_spelling

    assert repair_spelling(ocr, lists.gazetteer) == printed


@pytest.mark.parametrize("clause, own, expected", [
    ("Chủ trì, phối hợp với Sở Tài chính, Sở Kế hoạch và Đầu tư thẩm định dự toán.", "Ban Dân tộc",
     ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]),
    # abbreviations resolve to the listed name; the agency itself is no partner of its own clause
    ("Phối hợp với Sở KH&ĐT, UBND tỉnh và Công an tỉnh kiểm tra.", "Công an tỉnh",
     ["Sở Kế hoạch và Đầu tư", "Ủy ban nhân dân tỉnh"]),
    # "các cơ sở y tế" (health facilities) is no "Sở Y tế"; OCR's lost mark on "chinh" still matches
    ("Phối hợp với các cơ sở y tế và Sở Tài chinh bố trí kinh phí.", "Sở Y tế", ["Sở Tài chính"]),
    # an agency only this document names, known from its own heading
    ("Phối hợp với Hội Nông dân xã Phình Giàng vận động hội viên.", "Ủy ban nhân dân tỉnh",
     ["Hội Nông dân xã Phình Giàng"]),
    ("Tổ chức tuyên truyền sâu rộng đến người dân.", "Sở Thông tin và Truyền thông", []),
])
def test_extract_partners_by_phrase_matcher(clause, own, expected, lists):
    from pipeline.extract.matcher import AgencyMatcher

    headings = {"Hội Nông dân xã Phình Giàng": "Hội Nông dân xã Phình Giàng"}
    matcher = AgencyMatcher(lists.gazetteer, headings)
    assert matcher.partners(clause, own) == expected
