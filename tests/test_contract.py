"""The Document as the output contract: it round-trips through document.json, it resumes from a saved
copy, its JSON Schema is current and holds, and every stage writes only the fields it declares."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pipeline import ingest, runner
from pipeline.errors import ResumeError
from pipeline.export import document_json
from pipeline.export.schema import SCHEMA_PATH, document_schema
from pipeline.models import Document
from pipeline.work import work_of
from tests.conftest import SAMPLES

SEED_TXT = SAMPLES / "kh-2774-bacgiang" / "ocr-text.txt"
# A stamped, noisy scan: its stamp's pen figures are voted from readings saved with the Document.
STAMPED_SCAN = SAMPLES / "cv-1045-stc-hagiang" / "scan-noisy.pdf"
# Logs every stage may add to, and the runner's own bookkeeping.
LOGS = {"issues", "status", "timings", "stages_done"}


def _with_outdir(cfg, tmp_path):
    return cfg.model_copy(update={"export": cfg.export.model_copy(update={"outdir": str(tmp_path)})})


def test_contract_document_json_loads_back_into_an_equal_document(tmp_path, cfg):
    doc = runner.process_file(SEED_TXT, _with_outdir(cfg, tmp_path))
    saved = (tmp_path / doc.doc_id / "document.json").read_text(encoding="utf-8")
    loaded = Document.model_validate_json(saved)
    # written by the export stage, so before its own entry in the bookkeeping
    assert loaded.stages_done == doc.stages_done[:-1] and "export" not in loaded.timings
    loaded.stages_done.append("export")
    loaded.timings["export"] = doc.timings["export"]
    assert loaded == doc
    assert loaded.registration.number == "1860" and loaded.agencies  # not an empty shell
    assert work_of(doc) is None  # the pictures went with the last stage


def test_contract_schema_file_is_current():
    on_disk = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert on_disk == document_schema(), "docs/document.schema.json is stale: run `python -m pipeline schema`"


def test_contract_text_sample_validates_against_the_schema(tmp_path, cfg):
    doc = runner.process_file(SEED_TXT, _with_outdir(cfg, tmp_path))
    jsonschema.validate(json.loads((tmp_path / doc.doc_id / "document.json").read_text(encoding="utf-8")),
                        document_schema())
    broken = json.loads(document_json(doc))
    broken["pages"][0]["blocks"][0]["lines"][0]["words"][0]["bbox"] = [1, 2]  # a box has four numbers
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, document_schema())


def changed_fields(before, after, path: str = "") -> set[str]:
    """Dotted paths where two model dumps differ; list entries are compared one by one as "name[]"
    when both lists are as long, else the list itself changed."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = set()
        for key in before.keys() | after.keys():
            out |= changed_fields(before.get(key), after.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return set().union(*(changed_fields(b, a, f"{path}[]") for b, a in zip(before, after, strict=True)))
    return {path} if before != after else set()


def _stage_writes() -> dict[str, tuple[set[str], set[str]]]:
    """Each stage's declared (WRITES, APPENDS) from its package."""
    import importlib

    out = {}
    for name in runner.STAGE_NAMES:
        module = importlib.import_module(f"pipeline.{name}")
        out[name] = (set(module.WRITES), set(getattr(module, "APPENDS", ())))
    return out


def test_contract_no_field_has_two_writers():
    seen: dict[str, str] = {}
    for stage, (writes, _) in _stage_writes().items():
        for field in writes:
            assert field not in seen, f"{field} is written by {seen[field]} and {stage}"
            seen[field] = stage


def _declared(field: str, declared: set[str]) -> bool:
    return any(field == d or field.startswith(d + ".") or field.startswith(d + "[]") for d in declared)


def _check_stages(doc: Document, cfg, until: str) -> list[str]:
    """Run the stages one by one up to *until*; return what each changed that it does not declare."""
    writes = _stage_writes()
    wrong = []
    for name, stage in runner.STAGES:
        if name in doc.stages_done:
            continue
        before = doc.model_dump(mode="json")
        doc = stage(doc, cfg)
        after = doc.model_dump(mode="json")
        own, appended = writes[name]
        for field in changed_fields(before, after):
            if field in LOGS or _declared(field, own):
                continue
            if field in appended and after[field][:len(before[field])] == before[field]:
                continue  # added to, nothing of what was there changed
            wrong.append(f"{name} changed {field}")
        doc.stages_done.append(name)
        if name == until:
            break
    return wrong


def test_contract_each_stage_writes_only_its_fields_on_a_text_file(cfg):
    doc = ingest.open_document(SEED_TXT)
    assert _check_stages(doc, cfg, until="extract") == []


@pytest.fixture(scope="module")
def stamped():
    """The stamped scan read stage by stage up to OCR: what the stages changed that they do not
    declare, the Document in memory, and the Document saved as JSON."""
    from pipeline.config import load_config

    cfg = load_config()
    doc = ingest.open_document(STAMPED_SCAN)
    wrong = _check_stages(doc, cfg, until="ocr")
    return cfg, doc, document_json(doc), wrong


@pytest.mark.ocr
@pytest.mark.slow
def test_contract_each_stage_writes_only_its_fields_on_a_scan(stamped):
    cfg, doc, _, wrong = stamped
    assert wrong == []
    assert _check_stages(doc.model_copy(deep=True), cfg, until="extract") == []


@pytest.mark.ocr
@pytest.mark.slow
def test_contract_resume_from_a_document_saved_after_ocr(stamped):
    cfg, doc, saved, _ = stamped
    loaded = Document.model_validate_json(saved)
    assert work_of(loaded) is None and any(a.readings for a in loaded.annotations)
    from_json = runner.process_file(None, cfg, resume_from=loaded, until="extract")
    in_memory = runner.process_file(None, cfg, resume_from=doc.model_copy(deep=True), until="extract")
    assert from_json.stages_done == runner.STAGE_NAMES[:-1]
    for d in (from_json, in_memory):
        d.timings.clear()
    assert from_json == in_memory
    assert from_json.registration is not None and from_json.registration.number and from_json.agencies
    at_ocr = Document.model_validate_json(saved)
    at_ocr.stages_done.remove("ocr")
    with pytest.raises(ResumeError, match="pictures"):
        runner.process_file(None, cfg, resume_from=at_ocr)
