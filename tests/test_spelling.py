"""Mending OCR-damaged syllables with underthesea's word list: only where one reading fits."""

from __future__ import annotations

import pytest

from pipeline.lang.syllables import mend


@pytest.mark.parametrize("damaged, mended", [
    ("Caơ điểm phòng cháy", "Cao điểm phòng cháy"),  # "caơ" is no syllable; only "cao điểm" is a word
    ("tăng cường kỷ luật, kỷ cương hành chíhh", "tăng cường kỷ luật, kỷ cương hành chính"),
    ("(Caơ điểm)", "(Cao điểm)"),  # punctuation around the word stays
    # a real syllable that fits no neighbour, its circumflex lost under the acute (real scan qd-26)
    ("CỤC HÓA CHÁT", "CỤC HÓA CHẤT"),
    ("trong lĩnh vực hóa chát và vật liệu nổ", "trong lĩnh vực hóa chất và vật liệu nổ"),
    ("Chát lượng công chức", "Chất lượng công chức"),
    # "hạ tằng" is listed too, but only "hạ tầng" is in the common list (real scan, landscape decision)
    ("CÔNG TY CP ĐẦU TƯ XÂY DỰNG HẠ TÀNG VÀ GIAO THÔNG", "CÔNG TY CP ĐẦU TƯ XÂY DỰNG HẠ TẦNG VÀ GIAO THÔNG"),
])
def test_spelling_mends_one_fitting_reading(damaged, mended):
    assert mend(damaged) == mended


@pytest.mark.parametrize("text", [
    "PRực hiện Cuộc vận động",  # "thực hiện" and "phục hiện" both fit: left for a person
    "Sở KH&ĐT và UBND tỉnh",  # abbreviations are not syllables and are not touched
    "Thủ Nước Chính phủ",  # a capital inside a line starts a name: left as read
    "vị chát của trà",  # "chát" fits no neighbour, but neither does "chất"
    "theo quy định của nhà nước",  # "cửa nhà" is a word, but "của" stands beside anything
    "chính sách thuế, phí",  # "thuế phí" fits; nothing is missing
    "TTr Tỉnh ủy, TTr HĐND tỉnh",  # "TTr" (tờ trình) is an abbreviation, not a damaged "trị"
    "Ủy ban nhân dân tỉnh Điện Biên; xã Phình Giàng",
    "Quyết định số 18/2011/QĐ-TTg ngày 18/3/2011",
])
def test_spelling_leaves_what_it_cannot_be_sure_of(text):
    assert mend(text) == text


def test_spelling_changes_nothing_in_the_annotated_samples():
    """Every sample's hand-typed body and subject is correct Vietnamese: mending must not touch it."""
    import json
    from pathlib import Path

    from pipeline.evaluate import truth_body

    for path in sorted(Path("samples").glob("*/truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        for text in (truth_body(truth), truth["header"]["subject"]):
            assert mend(text) == text, path.parent.name


@pytest.mark.parametrize(
    "original, variants, after, chosen",
    [
        # a variant makes "ngân sách", the first reading makes no word: the variant
        (
            "dự toán ngần sách",
            ["dự toán ngân sách", "dự toán ngần sách", "dự toán ngần sách"],
            "",
            "dự toán ngân sách",
        ),
        # the neighbour is the first word of the next line
        ("chính và đấy", ["chính và đấy", "chính và đẩy", "chính và đấy"], "mạnh", "chính và đẩy"),
        # every other reading agrees: taken even without the word list
        ("nắm 2026", ["năm 2026", "năm 2026", "năm 2026"], "", "năm 2026"),
        # one reading alone, with no word to back it, does not overrule the first
        ("năm 2026", ["nắm 2026", "năm 2026", "năm 2026"], "", "năm 2026"),
        # a variant that split the line differently is not compared
        ("ưu tiền dùng", ["ưu tiên", "ưu tiền dùng", "ưu tiền dùng"], "", "ưu tiền dùng"),
    ],
)
def test_spelling_choose_words(original, variants, after, chosen):
    from pipeline.lang.syllables import choose_words

    assert choose_words(original.split(), [v.split() for v in variants], after) == chosen.split()


def test_spelling_choose_words_keeps_names():
    from pipeline.lang.syllables import choose_words

    line = "trên địa bàn huyện Điện Biên Đông".split()
    assert choose_words(line, [line[:-1] + ["Đồng"]] * 3) == line


def test_spelling_leaves_the_real_corpus_as_published():
    """Mending is for OCR's slips: on the hand-made truth of the real documents (../shared, read from
    there) it may change next to nothing. One line is known: "lồng, bè trên sông" becomes "bề trên"
    (neither "lồng bè" nor "bè trên" is in the word list)."""
    import glob
    import json

    from pipeline.evaluate import truth_body
    from tests.conftest import SHARED

    files = sorted(glob.glob(str(SHARED / "real-texts" / "*" / "truth.json")))
    files += sorted(glob.glob(str(SHARED / "real-scans" / "*.truth.json")))
    if not files:
        pytest.skip("../shared not present")
    lines = []
    for path in files:
        truth = json.loads(open(path, encoding="utf-8").read())
        body = truth_body(truth).split("\n") if "sections" in truth else []
        texts = [truth["header"].get("subject") or "", *body]
        texts += [d for a in truth.get("agencies", []) for d in a["duties"]]
        lines += [t for t in texts if t]
    changed = [line for line in lines if mend(line) != line]
    assert len(lines) > 300 and len(changed) <= 1, changed
