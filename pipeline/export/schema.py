"""docs/document.schema.json: the JSON Schema of document.json, generated from the models."""

from __future__ import annotations

import json

from pipeline.config import PROJECT_ROOT
from pipeline.models import SCHEMA_VERSION, Document

SCHEMA_PATH = PROJECT_ROOT / "docs" / "document.schema.json"


def document_schema() -> dict:
    schema = Document.model_json_schema()
    schema["description"] = (f"document.json, schema_version {SCHEMA_VERSION}: the Document of "
                             "vn-plan-pipeline (docs/output-contract.md)")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def write_schema() -> str:
    """Write the schema file; returns its path."""
    SCHEMA_PATH.write_text(
        json.dumps(document_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return str(SCHEMA_PATH)
