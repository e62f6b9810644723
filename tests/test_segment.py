from __future__ import annotations

import pytest

from pipeline.models import Metadata, Paragraph
from pipeline.segment.header import parse_date, parse_header, parse_number, printed_year, split_issuer
from tests.conftest import run_text_stages


@pytest.mark.parametrize("line, number, symbol", [
    ("Số: 2774/KH-UBND", "2774", "KH-UBND"),
    ("Sô: 2774 / KH - UBND", "2774", "KH-UBND"),
    ("S6: 15/QĐ-BNV", "15", "QĐ-BNV"),
    ("Số: 12/UBND-VX", "12", "UBND-VX"),
    ("Số:  /BCT-ATMT", None, "BCT-ATMT"),
    ("Số: 89 /2026/QĐ-CT", "89", "QĐ-CT"),
    ("Số: 26 /QÐ-XPVPHC", "26", "QĐ-XPVPHC"),
    # a pen number over the blank and the slash read as debris: the symbol stands, the number is unknown
    ("sẽ2 6 ŸBCT-ATMT", None, "BCT-ATMT"),
    ("- Số: 17 /KH-SCT", "17", "KH-SCT"),  # a speck before the label read as a dash
])
def test_segment_number_and_symbol(line, number, symbol):
    meta = Metadata()
    assert parse_number(line, meta)
    assert (meta.number, meta.symbol) == (number, symbol)


@pytest.mark.parametrize("line, place, iso", [
    ("Bắc Giang, ngày 29 tháng 9 năm 2015", "Bắc Giang", "2015-09-29"),
    ("Hà Nội, ngày 02 tháng 7 năm 2026", "Hà Nội", "2026-07-02"),
    ("Thanh Hóa, ngày 05 tháng 01 năm 2020", "Thanh Hóa", "2020-01-05"),
    ("Lào Cai, ngày O8 tháng 5 năm 2026", "Lào Cai", "2026-05-08"),
    ("Hà Giang ngày 12 tháng 3 năm 2026", "Hà Giang", "2026-03-12"),  # OCR lost the comma
])
def test_segment_place_and_date(line, place, iso, lists):
    meta = Metadata()
    assert parse_date(line, meta, lists)
    assert (meta.place, meta.date) == (place, iso)


@pytest.mark.parametrize("line", ["Hà Nội, ngày 12 tháng 13 năm 2026", "Hà Nội, ngày 45 tháng 5 năm 2026",
                                  "Hà Nội, ngày 0o tháng 5 năm 2026",
                                  # a legal basis with its own date is not the place-and-date line
                                  "Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;",
                                  "Căn cứ Luật Tổ chức ngày 19 tháng 6 năm 2015"])
def test_segment_date_rejects_impossible_or_unreadable(line, lists):
    assert not parse_date(line, Metadata(), lists)


@pytest.mark.parametrize(
    "lines, parent, issuer",
    [
        (["ỦY BAN NHÂN DÂN", "TỈNH BẮC GIANG"], None, "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG"),
        (["BỘ CÔNG THƯƠNG", "CỤC HÓA CHẤT"], "BỘ CÔNG THƯƠNG", "CỤC HÓA CHẤT"),
        (["UBND TỈNH NINH BÌNH", "SỞ NỘI VỤ"], "UBND TỈNH NINH BÌNH", "SỞ NỘI VỤ"),
        (
            ["CÔNG TY CP ĐẦU TƯ XÂY DỰNG", "HẠ TẦNG VÀ GIAO THÔNG"],
            None,
            "CÔNG TY CP ĐẦU TƯ XÂY DỰNG HẠ TẦNG VÀ GIAO THÔNG",
        ),
    ],
)
def test_segment_issuer_and_parent(lines, parent, issuer, lists):
    assert split_issuer(lines, lists) == (parent, issuer)


PLAN = [
    "ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Số: 45/KH-UBND", "Lạng Sơn, ngày 12 tháng 02 năm 2026", "KẾ HOẠCH", "Phòng, chống thiên tai năm 2026",
    "Căn cứ Luật Phòng, chống thiên tai ngày 19/6/2013;",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
    "1. MỤC ĐÍCH, YÊU CẦU",  # OCR read "I." as "1."
    "- Chủ động phòng ngừa.",
    "Il. NỘI DUNG",  # and "II." as "Il."
    "1. Củng cố lực lượng",
    "a) Rà soát phương án;",
    "b) Tập huấn.",
    "HI. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nông nghiệp và Môi trường",
    "- Chủ trì, phối hợp với Sở Tài chính tham mưu kinh phí trước ngày 30/11 hàng năm.",
    "- Tổng hợp báo cáo định kỳ 6 tháng.",
    "2. Công an tỉnh: Chủ trì bảo đảm an ninh trật tự trong quý II/2026.",
    "3. Thủ trưởng các sở, ngành chủ động triển khai thực hiện nghiêm túc Kế hoạch này trên địa bàn quản lý.",
    "Trên đây là Kế hoạch phòng, chống thiên tai năm 2026 của tỉnh./.",
    "Nơi nhận:", "- Bộ Nông nghiệp và Môi trường;", "- Lưu: VT.",
    "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình",
]


def test_segment_plan_header_and_sections():
    doc = run_text_stages(PLAN)
    m = doc.metadata
    assert (m.issuer, m.number, m.symbol, m.date, m.place) == (
        "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "45", "KH-UBND", "2026-02-12", "Lạng Sơn")
    assert m.document_type == "KẾ HOẠCH"
    assert m.subject == "Phòng, chống thiên tai năm 2026"
    assert [(s.number, s.title) for s in doc.sections] == [
        ("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "NỘI DUNG"), ("III", "TỔ CHỨC THỰC HIỆN")]
    assert [i.number for i in doc.sections[1].items[0].items] == ["a", "b"]
    assert len(doc.preamble) == 2
    assert doc.postamble == ["Trên đây là Kế hoạch phòng, chống thiên tai năm 2026 của tỉnh./."]
    assert m.signer.lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert m.signer.name == "Nguyễn Văn Bình"
    assert m.recipients == ["Bộ Nông nghiệp và Môi trường;", "Lưu: VT."]


def test_segment_signer_name_with_a_one_letter_middle_name():
    doc = run_text_stages(PLAN[:-1] + ["Vàng A Chứ"])  # sample kh-88 (Điện Biên); "A Vàng" is no name
    assert doc.metadata.signer.name == "Vàng A Chứ"


def test_segment_signer_titles_take_their_listed_spelling():
    # real scans: "THỨ TRƯỜNG" for "THỨ TRƯỞNG", "TÔNG GIÁM ĐỐC" for "TỔNG GIÁM ĐỐC"
    doc = run_text_stages(
        PLAN[:-4] + ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TICH", "PHÓ CHÙ TỊCH", "Nguyễn Văn Bình"]
    )
    assert doc.metadata.signer.lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


@pytest.mark.parametrize("line", ["V/v triển khai đánh giá công chức", "V/ v triển khai đánh giá công chức",
                                  "VX triển khai đánh giá công chức"])
def test_segment_vv_subject_survives_ocr(line):
    doc = run_text_stages(
        [
            "SỞ NỘI VỤ",
            "Số: 312/SNV-CCVC",
            line,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Ninh Bình, ngày 16 tháng 11 năm 2026",
            "Thực hiện Kế hoạch số 10/KH-UBND ngày 02/01/2026, Sở Nội vụ đề nghị các cơ quan thực hiện.",
        ]
    )
    assert doc.metadata.subject == "triển khai đánh giá công chức"
    assert doc.metadata.document_type == "CÔNG VĂN"


def test_segment_cong_van_subject_and_addressees():
    doc = run_text_stages(
        [
            "UBND TỈNH NINH BÌNH",
            "SỞ NỘI VỤ",
            "Số: 312/SNV-CCVC",
            "V/v triển khai đánh giá công chức",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Ninh Bình, ngày 16 tháng 11 năm 2026",
            "Kính gửi:",
            "- Các sở, ban, ngành thuộc UBND tỉnh;",
            "- Ủy ban nhân dân các huyện, thành phố.",
            "Thực hiện Kế hoạch số 10/KH-UBND ngày 02/01/2026 của Ủy ban nhân dân tỉnh, Sở Nội vụ đề nghị:",
            "1. Các cơ quan, đơn vị tổ chức đánh giá đúng quy trình, thời hạn quy định của pháp luật "
            "hiện hành.",
            "2. Sở Tài chính: Bảo đảm kinh phí khen thưởng.",
        ]
    )
    m = doc.metadata
    assert (m.issuer_parent, m.issuer, m.document_type) == ("UBND TỈNH NINH BÌNH", "SỞ NỘI VỤ", "CÔNG VĂN")
    assert m.subject == "triển khai đánh giá công chức"
    assert m.addressees == ["Các sở, ban, ngành thuộc UBND tỉnh", "Ủy ban nhân dân các huyện, thành phố"]
    # item 1 gives work in its first sentence, as real documents do (the real corpus annotates it so)
    assert [a.name for a in doc.agencies] == ["Các cơ quan, đơn vị", "Sở Tài chính"]


@pytest.mark.parametrize("line", ["Kính gửi:", "Kính gưi:", "Kinh gửi:", "Kính gừi :"])
def test_segment_addressee_line_survives_ocr_marks(line):
    doc = run_text_stages(
        [
            "SỞ TÀI CHÍNH",
            "Số: 1045/STC-QLNS",
            "V/v xây dựng dự toán ngân sách năm 2027",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hà Giang, ngày 10 tháng 7 năm 2026",
            f"{line} Các sở, ban, ngành cấp tỉnh.",
            "Thực hiện Luật Ngân sách nhà nước, Sở Tài chính đề nghị các cơ quan lập dự toán đúng hạn.",
        ]
    )
    assert doc.metadata.subject == "xây dựng dự toán ngân sách năm 2027"
    assert doc.metadata.addressees == ["Các sở, ban, ngành cấp tỉnh"]


def test_segment_place_and_date_line_cut_before_its_year(lists):
    """A pen figure in the blank made OCR end the line before "năm 2026"; the year is still printed."""
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: /UBND-KT", "Hà Giang, ngày 2 tháng", "năm 2026",
             "Căn cứ Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;"]
    where: dict = {}
    meta, _ = parse_header([Paragraph(text=t, page=1) for t in lines], lists, [], where)
    assert printed_year(where) == 2026
    assert meta.date is None and meta.place == "Hà Giang"


def test_segment_blank_date_with_debris_and_misread_month_label_keeps_printed_year(lists):
    """cv-1045, heavy grayscale, seed 3: a comma read as ";", the month's label as "thắng" and the
    pen's month as "Ô"; the year is still printed."""
    from pipeline.clean.text import normalizer

    where: dict = {}
    lines = ["SỞ TÀI CHÍNH", "Số: /STC-QLNS", normalizer(lists)("Hà Giang; ngày thắng. Ô năm 2026")]
    meta, _ = parse_header([Paragraph(text=t, page=1) for t in lines], lists, [], where)
    assert printed_year(where) == 2026 and meta.place == "Hà Giang" and meta.date is None
    where = {}
    lines = ["BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Số: O0 ,cT-BGDĐT", "Hà Nội, ngày 17 táng? năm.2025"]  # ct-03, seed 2
    parse_header([Paragraph(text=t, page=1) for t in lines], lists, [], where)
    assert printed_year(where) == 2025
    where = {}
    parse_header([Paragraph(text="Ninh Bình, ngảy tháng năm 2026", page=1)], lists, [], where)
    assert printed_year(where) == 2026  # cv-312, heavy, seed 23


def test_segment_pen_number_read_as_its_own_line_above_the_blank(lists):
    """A grayscale pen as dark as toner: no ink test finds it, Tesseract reads the raised "1045" as a line."""
    from pipeline.segment.header import fill_by_hand

    paragraphs = [Paragraph(text="SỞ TÀI CHÍNH", page=1, bbox=(543, 305, 903, 365)),
                  Paragraph(text="1045", page=1, bbox=(580, 393, 670, 451), conf=96),
                  Paragraph(text="Số: /STC-QLNS", page=1, bbox=(492, 435, 955, 485))]
    where: dict = {}
    meta, _ = parse_header(paragraphs, lists, [], where)
    notes = fill_by_hand(meta, where, [])
    assert meta.number == "1045" and meta.symbol == "STC-QLNS" and "handwritten" in notes[0]
    paragraphs[1] = paragraphs[1].model_copy(
        update={"bbox": (1580, 393, 1670, 451)}
    )  # far off the blank: not it
    where = {}
    meta, _ = parse_header(paragraphs, lists, [], where)
    assert fill_by_hand(meta, where, []) == [] and meta.number is None


def test_segment_e_office_fields_fill_the_number_and_the_day(lists):
    """The text layer says "Số: /UBND-XD" and "ngày tháng 5"; the number and the day are form fields
    drawn over the blanks (real e-office PDFs), read by OCR."""
    from pipeline.models import Annotation
    from pipeline.segment.header import fill_from_fields

    paragraphs = [Paragraph(text="ỦY BAN NHÂN DÂN TỈNH LÀO CAI", page=1, bbox=(400, 300, 1000, 350)),
                  Paragraph(text="Số: /UBND-XD", page=1, bbox=(500, 450, 900, 500)),
                  Paragraph(text="Lào Cai, ngày tháng 5 năm 2026", page=1, bbox=(1300, 450, 2200, 500))]
    fields = [Annotation(kind="field", page=1, bbox=(560, 440, 720, 510), text="3686 /", conf=87.0),
              Annotation(kind="field", page=1, bbox=(1560, 445, 1660, 505), text="11t", conf=56.0),
              Annotation(kind="handwriting", page=1, bbox=(760, 440, 800, 510), text="x")]
    where: dict = {}
    meta, _ = parse_header(paragraphs, lists, [], where)
    notes = fill_from_fields(meta, where, fields)
    assert (meta.number, meta.date, meta.place) == ("3686", "2026-05-11", "Lào Cai")
    assert len(notes) == 2 and all("e-office form field" in n for n in notes)
