"""`python -m eval.devsets`: the table, skipped sets, and the briefs2 floors on the embedded
default (real models, the whole set once; each floor is its own test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.devsets import DEVSETS, DevSet, format_table, main, run_devsets
from eval.runner import EvalRun
from rag.pipeline import build_pipeline
from rag.settings import Settings
from tests.conftest import HashingEmbedding, write_brief

BRIEFS2 = DEVSETS["briefs2"]

# Measured on the embedded default with the checked-in weights (`python -m eval.devsets --sets
# briefs2`: accuracy 0.906, plain 0.906, short-and-correct 0.906 (plain 0.906), abstention
# recall 0.800, false abstentions 0.020, citation precision 0.851, hit@5 1.00, grounded 1.00),
# each held a little below (above, for the ceiling) so that noise does not fail them and a real
# regression does. Issue 10's targets for this set (accuracy 0.85, short-and-correct 0.80) are
# met by ten questions: the floors hold them at the targets. Abstention recall's floor went
# from 0.65 to 0.60 with the type table's question model, which declines one unanswerable
# question more and answers two: read as a corpus nobody counted, briefs2 gained (README).
# It rose to 0.70 (21 of 30) when the recall reached 0.767 (now 0.800): a margin of three.
FLOORS: dict[str, float] = {
    "accuracy": 0.85,
    "plain_accuracy": 0.85,
    "short_and_correct": 0.85,
    "short_and_correct_plain": 0.85,
    "hit@5": 0.95,
    "abstention_recall": 0.70,
    "grounded_rate": 1.0,
    "citation_precision": 0.82,
}
CEILINGS: dict[str, float] = {
    "false_abstention_rate": 0.06,
}
# Issue 11's targets for the questions about many briefs and for lists, by the sets' plain rule:
# multi-brief 20 of 24 (0.833) and lists 12 of 14 (0.857) measured as above; 0.80 is the target
# itself, so each holds with no question to spare.
TYPE_FLOORS: dict[str, float] = {
    "multi-brief": 0.80,
    "list": 0.80,
}

needs_briefs2 = pytest.mark.skipif(
    BRIEFS2.missing() is not None,
    reason=f"briefs2 development set unavailable: {BRIEFS2.missing()} "
    "(it lives in ../shared/devsets beside the checkout)",
)


def _run(overall: dict[str, Any]) -> EvalRun:
    return EvalRun(results=[], summary={"overall": overall}, out=Path("."), problems=())


def test_devsets_table_has_one_row_per_set() -> None:
    overall = {"questions": 180, "accuracy": 0.5, "plain_accuracy": 0.25,
               "short_and_correct_plain": 0.125, "abstention_recall": 1.0,
               "false_abstention_rate": 0.0, "answer_chars_p50": 120.0}  # fmt: skip
    lines = format_table({"briefs2": _run(overall), "gold": _run({**overall, "questions": 5})})
    rows = lines.splitlines()
    assert rows[0].split()[:3] == ["set", "questions", "accuracy"]
    assert "short+correct (plain)" in rows[0] and "median chars" in rows[0]
    assert rows[2].split() == ["briefs2", "180", "0.500", "0.250", "0.125", "1.000", "0.000",
                               "120"]  # fmt: skip
    assert rows[3].split()[:2] == ["gold", "5"]


def test_devsets_names_absent_sets_as_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = DevSet("absent", tmp_path / "nowhere" / "docs", tmp_path / "nowhere" / "q.jsonl")
    monkeypatch.setitem(DEVSETS, "absent", absent)
    logged: list[str] = []
    with build_pipeline(Settings(data_dir=tmp_path / "data")) as pipeline:
        runs, skipped = run_devsets(pipeline, ["absent"], tmp_path / "out", log=logged.append)
    assert runs == {} and skipped == {"absent": f"{absent.corpus} is absent"}
    assert logged == [f"[1/1] absent: skipped ({absent.corpus} is absent)"]

    monkeypatch.setenv("BRIEFQA_DATA_DIR", str(tmp_path / "data"))
    assert main(["--sets", "absent", "--backend", "extractive"]) == 1
    assert f"skipped absent: {absent.corpus} is absent" in capsys.readouterr().out
    assert main(["--sets", "nope"]) == 2
    assert "unknown set(s) nope; choose from gold, briefs2, squad2" in capsys.readouterr().err


def test_devsets_writes_each_set_under_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "mine"
    write_brief(corpus, "a.md", "Acme licenses AX-1", "Acme will receive USD 9 million upfront.")
    gold = tmp_path / "q.jsonl"
    gold.write_text('{"id": "g1", "question": "How much does Acme receive upfront?", '
                    '"answers": [["9 million"]], "type": "amount"}\n{"id": "g2"}\n')  # fmt: skip
    monkeypatch.setitem(DEVSETS, "mine", DevSet("mine", corpus, gold))
    logged: list[str] = []
    settings = Settings(data_dir=tmp_path / "data", llm_backend="extractive")
    with build_pipeline(settings, embed_model=HashingEmbedding()) as pipeline:
        runs, _ = run_devsets(pipeline, ["mine"], tmp_path / "out", progress=False,
                              log=logged.append)  # fmt: skip
    assert runs["mine"].out == tmp_path / "out" / "mine"
    assert (tmp_path / "out" / "mine" / "summary.json").is_file()
    assert runs["mine"].summary["overall"]["questions"] == 1
    assert runs["mine"].summary["overall"]["hit@5"] is None  # no doc_ids: retrieval unjudged
    assert any(m.startswith('warning: mine: line 2: no "question", "answers", "type"')
               for m in logged)  # fmt: skip


@pytest.fixture(scope="module")
def briefs2_summary(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Any:
    """Every briefs2 question answered once through the embedded default pipeline."""
    data = tmp_path_factory.mktemp("devsets-data")
    with build_pipeline(Settings(data_dir=data), embed_model=real_embedder) as pipeline:
        assert pipeline.settings.llm_backend == "embedded"
        runs, skipped = run_devsets(
            pipeline, ["briefs2"], data / "eval", progress=False, log=lambda _: None
        )
    assert not skipped and not runs["briefs2"].problems
    return runs["briefs2"].summary


@pytest.mark.slow
@needs_briefs2
@pytest.mark.parametrize("metric", list(FLOORS))
def test_devsets_briefs2_floors_on_embedded_default(briefs2_summary: Any, metric: str) -> None:
    value, floor = briefs2_summary["overall"][metric], FLOORS[metric]
    assert value is not None and value >= floor, f"{metric} = {value}, floor {floor}"


@pytest.mark.slow
@needs_briefs2
@pytest.mark.parametrize("metric", list(CEILINGS))
def test_devsets_briefs2_ceilings_on_embedded_default(briefs2_summary: Any, metric: str) -> None:
    value, ceiling = briefs2_summary["overall"][metric], CEILINGS[metric]
    assert value is not None and value <= ceiling, f"{metric} = {value}, ceiling {ceiling}"


@pytest.mark.slow
@needs_briefs2
@pytest.mark.parametrize("kind", list(TYPE_FLOORS))
def test_devsets_briefs2_many_brief_and_list_floors(briefs2_summary: Any, kind: str) -> None:
    value, floor = briefs2_summary["by_type"][kind]["plain_accuracy"], TYPE_FLOORS[kind]
    assert value is not None and value >= floor, f"{kind} = {value}, floor {floor}"


def test_devsets_recase_gold_writes_every_question_in_the_casing(tmp_path: Path) -> None:
    from eval.devsets import recase_gold

    source = tmp_path / "gold.jsonl"
    source.write_text(
        '{"id": "a", "question": "who led the CT053 deal?", "answers": [["X"]], "history": '
        '[{"role": "user", "content": "what about CARsgen?"}, {"role": "assistant", '
        '"content": "kept as it is"}]}\nnot json\n',
        encoding="utf-8",
    )
    title = recase_gold(source, tmp_path / "out" / "title.jsonl", "title")
    first, second = title.read_text(encoding="utf-8").splitlines()
    assert '"Who Led The CT053 Deal?"' in first and '"What About CARsgen?"' in first
    assert '"kept as it is"' in first and second == "not json"  # the runner reports it
    upper = recase_gold(source, tmp_path / "upper.jsonl", "upper").read_text(encoding="utf-8")
    assert '"WHO LED THE CT053 DEAL?"' in upper
