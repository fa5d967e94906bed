"""The bundled LLM's query likelihood, the feature `eval.llm_ranking` measures (real GGUF)."""

from __future__ import annotations

import math

from eval.llm_ranking import likelihood
from rag.models import packaged_gguf_path


def test_llm_ranking_likelihood_prefers_the_sentence_that_answers() -> None:
    from llama_cpp import Llama

    llm = Llama(model_path=str(packaged_gguf_path()), n_ctx=512, logits_all=True, verbose=False)
    question = "What upfront payment will CARsgen receive for CT053?"
    answers = likelihood(llm, "CARsgen will receive an upfront payment of RMB 200 million "
                              "from Huadong Medicine for CT053.", question)  # fmt: skip
    unrelated = likelihood(llm, "The weather in Paris stayed mild all week.", question)
    assert math.isfinite(answers) and answers < 0
    assert answers > unrelated
    # one forward pass, nothing sampled: the same input gives the same value
    assert likelihood(llm, "The weather in Paris stayed mild all week.", question) == unrelated
