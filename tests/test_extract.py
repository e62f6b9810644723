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


# Assignments as real documents print them (checked on the real corpus, tests/test_real_texts.py).
@pytest.mark.parametrize("text, heading, found", [
    # inline: "N. <agency> <what it must do>", no colon (Kế hoạch, Công điện, Quyết định articles)
    ("Sở Công Thương chủ trì, phối hợp với các sở, ngành liên quan hướng dẫn doanh nghiệp.", False,
     ("Sở Công Thương", "chủ trì, phối hợp với các sở, ngành liên quan hướng dẫn doanh nghiệp.")),
    ("Bộ Tư pháp, Bộ Nội vụ theo chức năng, nhiệm vụ được giao kiểm tra việc thực hiện.", False,
     ("Bộ Tư pháp, Bộ Nội vụ", "theo chức năng, nhiệm vụ được giao kiểm tra việc thực hiện.")),
    ("Các cơ quan, đơn vị, địa phương xây dựng kế hoạch thực hiện trong quý I.", False,
     ("Các cơ quan, đơn vị, địa phương", "xây dựng kế hoạch thực hiện trong quý I.")),
    ("UBND các xã, phường tăng cường kiểm tra, giám sát trên địa bàn.", False,
     ("UBND các xã, phường", "tăng cường kiểm tra, giám sát trên địa bàn.")),
    ("Giao Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này; tham mưu tổng kết.", False,
     ("Sở Tư pháp", "theo dõi, đôn đốc việc thực hiện Kế hoạch này; tham mưu tổng kết.")),
    ("Văn phòng UBND tỉnh có trách nhiệm công khai nội dung thủ tục hành chính.", False,
     ("Văn phòng UBND tỉnh", "có trách nhiệm công khai nội dung thủ tục hành chính.")),
    ("Thủ trưởng các sở, ngành; Chủ tịch UBND cấp xã căn cứ nhiệm vụ được giao triển khai thực hiện.", False,
     ("Thủ trưởng các sở, ngành; Chủ tịch UBND cấp xã", "căn cứ nhiệm vụ được giao triển khai thực hiện.")),
    # the head alone is no name: the predicate is found further on
    ("Cơ quan phối hợp có trách nhiệm trả lời bằng văn bản đúng hạn.", False,
     ("Cơ quan phối hợp", "có trách nhiệm trả lời bằng văn bản đúng hạn.")),
    # a heading is a name whatever verbs it holds, unless a word of an agency's part opens a predicate
    ("Cơ quan chủ trì giải quyết thủ tục đầu tư dự án:", True,
     ("Cơ quan chủ trì giải quyết thủ tục đầu tư dự án", None)),
    ("Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông", True,
     ("Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông", None)),
    ("Sở Tài chính chủ trì, phối hợp với Văn phòng UBND tỉnh:", True,
     ("Sở Tài chính", "chủ trì, phối hợp với Văn phòng UBND tỉnh:")),
    ("Đối với các tổ chức cung cấp dịch vụ chi trả", True, ("các tổ chức cung cấp dịch vụ chi trả", None)),
    # no agency: a heading that only opens like one, a sentence that names none first
    ("Báo cáo", True, None),
    ("Tổ chức thực hiện", True, None),
    ("Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan phản ánh về Sở Nội vụ.", False, None),
])
def test_extract_assignment_as_printed(text, heading, found, lists):
    from pipeline.extract.agencies import assignment

    assert assignment(text, lists, heading=heading) == found


def test_extract_closing_formula_is_no_assignment(lists):
    from pipeline.extract.agencies import assignment

    text = "Giám đốc các sở, Chủ tịch UBND các xã chịu trách nhiệm thi hành Quyết định này./."
    assert assignment(text, lists) == ("Giám đốc các sở, Chủ tịch UBND các xã", None)  # no duty: no assignee


def test_extract_inline_items_and_labelled_sub_items_become_duties():
    from tests.conftest import run_text_stages

    doc = run_text_stages([
        "ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: 5/KH-UBND", "Hà Giang, ngày 01 tháng 3 năm 2026", "KẾ HOẠCH",
        "Phòng chống dịch", "I. TỔ CHỨC THỰC HIỆN",
        "1. Sở Y tế chủ trì, phối hợp với Sở Tài chính triển khai Kế hoạch này.",
        "2. Sở Tài chính:", "a) Bố trí kinh phí thực hiện;", "b) Hướng dẫn thanh quyết toán.",
        "3. Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan báo cáo về Sở Y tế.",
    ])
    got = [(a.name, a.item, [d.text for d in a.duties]) for a in doc.agencies]
    assert got == [("Sở Y tế", "1", ["chủ trì, phối hợp với Sở Tài chính triển khai Kế hoạch này."]),
                   ("Sở Tài chính", "2", ["a) Bố trí kinh phí thực hiện", "b) Hướng dẫn thanh quyết toán."])]
    assert doc.agencies[0].duties[0].role == "lead"
