"""The runner: stages in order, until and resume, failures wrapped with the stage's name, and an
OCR engine contract that needs no Tesseract."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import runner
from pipeline.config import load_config
from pipeline.errors import MissingDependencyError, StageError
from pipeline.models import Document
from pipeline.ocr.tesseract import TesseractEngine, installed_languages
from tests.conftest import SAMPLES, CrashEngine, FakeEngine, OneAtATimeEngine, blocks_of, line_of

SEED_TXT = SAMPLES / "kh-2774-bacgiang" / "ocr-text.txt"


def _page_png(tmp_path):
    from PIL import Image

    path = tmp_path / "page.png"
    Image.fromarray(np.full((1200, 900), 255, np.uint8)).save(path, dpi=(300, 300))
    return path


def test_runner_stops_after_until_and_resumes_where_it_stopped(cfg):
    doc = runner.process_file(SEED_TXT, cfg, until="clean")
    assert doc.stages_done == ["ingest", "preprocess", "ocr", "clean"] and not doc.agencies
    doc = runner.process_file(None, cfg, resume_from=Document.model_validate_json(doc.model_dump_json()),
                              until="extract")
    assert doc.stages_done == runner.STAGE_NAMES[:-1] and len(doc.agencies) == 21
    with pytest.raises(ValueError, match="unknown stage"):
        runner.process_file(SEED_TXT, cfg, until="ocrr")


def test_runner_wraps_a_failing_engine_with_the_stage(tmp_path, use_engine):
    cfg = load_config(overrides=[f"ocr.engine={use_engine(CrashEngine())}"])
    with pytest.raises(StageError, match="stage 'ocr' failed on page: RuntimeError: engine crashed"):
        runner.process_file(_page_png(tmp_path), cfg)


def test_runner_reads_a_scan_with_a_fake_engine_and_no_tesseract(tmp_path, use_engine, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)  # as on a machine without Tesseract
    words = [
        ("Ủy", 100, 150, 95.0),
        ("ban", 160, 240, 95.0),
        ("nhân", 250, 330, 95.0),
        ("dân", 340, 400, 95.0),
    ]
    engine = FakeEngine(lambda image, cfg, whitelist: [] if whitelist else blocks_of(
        *[line_of(*words, y=100 + 60 * row) for row in range(6)]))
    cfg = load_config(overrides=[f"ocr.engine={use_engine(engine)}"])
    doc = runner.process_file(_page_png(tmp_path), cfg, until="clean")
    assert doc.text.startswith("Ủy ban nhân dân") and doc.pages[0].origin == "ocr"
    with pytest.raises(MissingDependencyError, match="tesseract is not installed"):
        TesseractEngine().check(cfg.ocr)


def test_runner_tesseract_languages_without_tesseract(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    installed_languages.cache_clear()
    try:
        assert installed_languages() == frozenset()
    finally:
        installed_languages.cache_clear()


def test_runner_plugin_engine_by_dotted_path_with_only_recognize(monkeypatch):
    import sys
    import types

    from pipeline.config import load_config
    from pipeline.errors import ConfigError, MissingDependencyError
    from pipeline.ocr import get_engine

    module = types.ModuleType("one_at_a_time")
    module.Engine, module.NotAnEngine = OneAtATimeEngine, object
    monkeypatch.setitem(sys.modules, "one_at_a_time", module)
    cfg = load_config(overrides=["ocr.engine=one_at_a_time:Engine"]).ocr
    engine = get_engine(cfg)
    results = engine.recognize_many([np.zeros((5, 5), np.uint8)] * 3, cfg)
    assert [[w.text for b in r for ln in b.lines for w in ln.words] for r in results] == [["4127"]] * 3
    with pytest.raises(MissingDependencyError, match="'eng'"):  # it has no such model
        get_engine(cfg.model_copy(update={"lang": "eng"}))
    with pytest.raises(ConfigError, match="no subclass"):
        get_engine(cfg.model_copy(update={"engine": "one_at_a_time:NotAnEngine"}))
