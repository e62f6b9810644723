"""The command line as a user meets it: help, exit codes, one-line errors, outputs on disk."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.synth.layout import font
from tests.conftest import ROOT, SAMPLES

SEED_TXT = SAMPLES / "kh-2774-bacgiang" / "ocr-text.txt"


def test_cli_help_lists_commands_and_options():
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0 and "run" in out.stdout and "eval" in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0
    for option in ("--outdir", "--config", "--set", "--debug", "--verbose"):
        assert option in out.stdout


def test_cli_run_text_writes_json_and_bom_csv(tmp_path, capsys):
    assert main(["run", str(SEED_TXT), "-o", str(tmp_path)]) == ExitCode.ok
    out_dir = tmp_path / "ocr-text"
    doc = json.loads((out_dir / "document.json").read_text(encoding="utf-8"))
    for key in ("schema_version", "source", "metadata", "registration", "annotations", "preamble", "sections",
                "agencies", "references", "text", "issues"):
        assert key in doc
    assert doc["source"]["kind"] == "text"
    raw = (out_dir / "duties.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must carry a BOM so Excel reads UTF-8"
    duties = pd.read_csv(out_dir / "duties.csv", encoding="utf-8-sig")
    assert "Sở Kế hoạch và Đầu tư" in set(duties["agency"])
    assert list(duties.columns[:4]) == ["doc_id", "section", "item", "agency"]
    assert "results:" in capsys.readouterr().out
    review = (out_dir / "review.html").read_text(encoding="utf-8")
    assert "<mark" in review and "Sở Kế hoạch và Đầu tư" in review and "http" not in review  # self-contained


@pytest.mark.parametrize("content, name", [(b"", "empty.pdf"), (b"%PDF-1.4\nthis is not a pdf", "broken.pdf"),
                                           (b"\x89PNG\r\n\x1a\nbroken", "broken.png")])
def test_cli_bad_input_gives_one_line_and_exit_2(tmp_path, capsys, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["run", str(path), "-o", str(tmp_path / "out")]) == ExitCode.input_file
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err
    assert path.read_bytes() == content  # inputs are never modified


def test_cli_missing_file_and_huge_image(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.pdf")]) == ExitCode.input_file
    huge = tmp_path / "huge.png"
    Image.new("1", (40000, 300), 1).save(huge)
    assert main(["run", str(huge), "-o", str(tmp_path)]) == ExitCode.input_file
    assert "too large" in capsys.readouterr().err


def test_cli_bad_setting_exit_1(tmp_path):
    assert main(["run", str(SEED_TXT), "--set", "ocr.nonsense=1", "-o", str(tmp_path)]) == ExitCode.bad_args


@pytest.mark.ocr
def test_cli_photo_is_not_a_document(tmp_path):
    yy, xx = np.mgrid[0:1200, 0:900]
    photo = np.stack([(xx / 4) % 255, (yy / 5) % 255, ((xx + yy) / 8) % 255], axis=-1).astype(np.uint8)
    path = tmp_path / "cat.jpg"
    Image.fromarray(photo).save(path)
    assert main(["run", str(path), "-o", str(tmp_path)]) == ExitCode.not_a_document


@pytest.mark.ocr
def test_cli_english_document_is_refused(tmp_path):
    page = Image.new("L", (1700, 1200), 255)
    draw = ImageDraw.Draw(page)
    text = "The committee shall review the annual budget and report to the board before the end of March."
    for row in range(12):
        draw.text((100, 80 + row * 80), text, font=font("regular", 34), fill=0)
    path = tmp_path / "english.png"
    page.save(path, dpi=(300, 300))
    assert main(["run", str(path), "-o", str(tmp_path)]) == ExitCode.wrong_language
