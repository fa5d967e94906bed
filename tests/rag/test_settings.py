"""Settings: defaults, environment, TOML file, validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from rag.settings import PACKAGED_EMBED_MODEL, Settings, load_settings


def test_settings_defaults_are_offline_and_local(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("BRIEFQA_DATA_DIR", "BRIEFQA_CHROMA_URL", "BRIEFQA_EMBED_MODEL"):
        monkeypatch.delenv(key, raising=False)
    settings = Settings()
    assert settings.embed_model == PACKAGED_EMBED_MODEL
    assert settings.chroma_url is None
    assert settings.chroma_dir == Path(".briefqa") / "chroma"
    assert all(field.description for field in Settings.model_fields.values())


def test_settings_env_beats_toml_beats_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "briefqa.toml"
    config.write_text('chunk_size = 300\ncollection = "from_toml"\n')
    monkeypatch.setenv("BRIEFQA_CONFIG", str(config))
    monkeypatch.setenv("BRIEFQA_CHUNK_SIZE", "256")
    settings = load_settings()
    assert settings.chunk_size == 256 and settings.collection == "from_toml"
    assert load_settings(data_dir=tmp_path / "x").data_dir == tmp_path / "x"


def test_settings_reject_overlap_not_below_size() -> None:
    with pytest.raises(ValidationError, match="chunk_overlap"):
        Settings(chunk_size=64, chunk_overlap=64)
