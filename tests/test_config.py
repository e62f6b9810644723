from __future__ import annotations

import pytest

from pipeline.config import Config, dump_toml, load_config
from pipeline.errors import ConfigError


def test_config_default_toml_equals_code_defaults():
    assert load_config() == Config()


def test_config_unknown_key_is_an_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[ocr]\npsmm = 6\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ocr.psmm"):
        load_config(bad)


def test_config_set_overrides_and_user_file(tmp_path):
    user = tmp_path / "user.toml"
    user.write_text("[ingest]\ndpi = 200\n", encoding="utf-8")
    cfg = load_config(user, ["ocr.psm=6", "ocr.lang=vie+eng"])
    assert (cfg.ingest.dpi, cfg.ocr.psm, cfg.ocr.lang) == (200, 6, "vie+eng")


@pytest.mark.parametrize("override", ["ocr", "ocr.psm", "ocr.psm=notanumber"])
def test_config_bad_override(override):
    with pytest.raises(ConfigError):
        load_config(None, [override])


def test_config_resolved_dump_round_trips(tmp_path):
    cfg = load_config(None, ["ocr.psm=6"])
    path = tmp_path / "resolved.toml"
    path.write_text(dump_toml(cfg), encoding="utf-8")
    assert load_config(path) == cfg
