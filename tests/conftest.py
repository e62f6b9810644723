"""Shared fixtures: sample paths, hand-built Documents, Tesseract detection, no network."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from pipeline.models import Document, Paragraph, SourceInfo

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


def _has_vie() -> bool:
    if shutil.which("tesseract") is None:
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    return "vie" in out.split()


HAVE_TESSERACT = _has_vie()
requires_tesseract = pytest.mark.skipif(not HAVE_TESSERACT, reason="tesseract with 'vie' not installed")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing may download at run time: any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise RuntimeError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def doc_from_lines(lines: list[str]) -> Document:
    """A Document as a text file would give it: one paragraph per non-empty line, no geometry."""
    doc = Document(doc_id="test", source=SourceInfo(path="test.txt", sha256="0", kind="text"))
    doc.paragraphs = [Paragraph(text=t, page=1, line_no=i) for i, t in enumerate(lines, 1) if t.strip()]
    return doc


def run_text_stages(lines: list[str]) -> Document:
    from pipeline import clean, extract, segment
    from pipeline.config import load_config

    cfg = load_config()
    doc = clean.run(doc_from_lines(lines), cfg.clean)
    doc = segment.run(doc, cfg.segment)
    return extract.run(doc, cfg.extract)
