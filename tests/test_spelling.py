"""Mending OCR-damaged syllables with underthesea's word list: only where one reading fits."""

from __future__ import annotations

import pytest

from pipeline.spelling import mend


@pytest.mark.parametrize("damaged, mended", [
    ("Caơ điểm phòng cháy", "Cao điểm phòng cháy"),  # "caơ" is no syllable; only "cao điểm" is a word
    ("tăng cường kỷ luật, kỷ cương hành chíhh", "tăng cường kỷ luật, kỷ cương hành chính"),
    ("(Caơ điểm)", "(Cao điểm)"),  # punctuation around the word stays
])
def test_spelling_mends_one_fitting_reading(damaged, mended):
    assert mend(damaged) == mended


@pytest.mark.parametrize("text", [
    "PRực hiện Cuộc vận động",  # "thực hiện" and "phục hiện" both fit: left for a person
    "Sở KH&ĐT và UBND tỉnh",  # abbreviations are not syllables and are not touched
    "Thủ Nước Chính phủ",  # real syllables, even wrong ones, are never rewritten
    "Ủy ban nhân dân tỉnh Điện Biên; xã Phình Giàng",
    "Quyết định số 18/2011/QĐ-TTg ngày 18/3/2011",
])
def test_spelling_leaves_what_it_cannot_be_sure_of(text):
    assert mend(text) == text
