"""Hybrid retrieval on real Chroma with the real embedder: each side finds what the other misses,
filters apply to both, follow-ups are condensed, and BM25 follows every ingest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.runner import ingest_files, ingest_folder, remove_document
from rag.lexical import lexical_tokens
from rag.pipeline import Pipeline, build_pipeline
from rag.prompts import Turn, condense_question
from rag.retrieval import Filters
from rag.settings import Settings
from tests.conftest import write_brief

# Five briefs about the same generic topic: only the drug code tells them apart.
SIMILAR = [
    ("2024-01-alder", "Alder Bio doses first patient in Phase I trial", "QX-4471"),
    ("2024-02-birch", "Birch Pharma doses first patient in Phase I trial", "LM-2093"),
    ("2024-03-cedar", "Cedar Thera doses first patient in Phase I trial", "PV-7710"),
    ("2024-04-dogwood", "Dogwood Labs doses first patient in Phase I trial", "RN-5512"),
    ("2024-05-elm", "Elm Medicines doses first patient in Phase I trial", "TS-3380"),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for slug, title, code in SIMILAR:
        company = title.split(" doses")[0]
        write_brief(
            root, f"{slug}.md", title,
            f"{company} said the first patient was dosed in a Phase I study of {code}, an oral "
            "small molecule for solid tumours. The study will enrol 60 patients in China.",
            date=f"{slug[:7]}-15", companies=[company],
        )  # fmt: skip
    write_brief(
        root, "2023-06-orion.md", "Orion Health reports tablet data",
        "Orion Health said its once-daily tablet lowered blood sugar in people with diabetes, "
        "cutting HbA1c by 1.4 points over 24 weeks.", date="2023-06-02", companies=["Orion Health"],
    )  # fmt: skip
    write_brief(
        root, "2022-03-ct053.md", "CARsgen and Huadong partner on CT053",
        "CARsgen will receive an upfront payment of RMB 200 million (USD 29.5 million) and "
        "milestones of up to RMB 1,025 billion.", date="2022-03-01",
        companies=["CARsgen Therapeutics", "Huadong Medicine"],
    )  # fmt: skip
    write_brief(
        root, "2024-06-pine.md", "Pine Bio licenses a Trop-2 ADC",
        "Pine Bio licensed sacituzumab tirumotecan to Fir Pharma for Greater China.",
        date="2024-06-03", companies=["Pine Bio", "Fir Pharma"],
    )  # fmt: skip
    return root


@pytest.fixture(scope="module")
def pipeline(
    corpus: Path, real_embedder: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pipeline]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("data"), corpus_dir=corpus, llm_backend="extractive"
    )
    with build_pipeline(settings, embed_model=real_embedder) as pipeline:
        ingest_folder(pipeline, corpus, progress=False)
        yield pipeline


def _docs(pipeline: Pipeline, query: str, filters: Filters | None = None) -> list[str]:
    pipeline.retriever.filters = filters or Filters()
    return list(dict.fromkeys(n.node.ref_doc_id for n in pipeline.retriever.retrieve(query)))


def _dense_docs(pipeline: Pipeline, query: str) -> list[str]:
    vector = pipeline.embed_model.get_query_embedding(query)
    hits = pipeline.store.collection.query(query_embeddings=[vector], n_results=3)
    return [m["doc_id"] for m in hits["metadatas"][0]]


def test_retrieval_paraphrase_only_dense_finds(pipeline: Pipeline) -> None:
    query = "glycemic efficacy readout"  # not one word in common with any brief
    pipeline.lexical.sync(pipeline.store)
    assert pipeline.lexical.search(query, 5) == []
    assert _docs(pipeline, query)[0] == "2023-06-orion"


def test_retrieval_company_filter_applies_to_both_sides(pipeline: Pipeline) -> None:
    docs = _docs(pipeline, "first patient dosed Phase I RN-5512", Filters(company="cedar"))
    assert docs == ["2024-03-cedar"]
    with pytest.raises(Exception, match="no brief names a company like 'Nope'"):
        _docs(pipeline, "anything", Filters(company="Nope"))


def test_retrieval_date_filter_applies_to_both_sides(pipeline: Pipeline) -> None:
    docs = _docs(pipeline, "RN-5512 first patient", Filters(since="2024-02", until="2024-03-31"))
    assert set(docs) == {"2024-02-birch", "2024-03-cedar"}
    assert _docs(pipeline, "upfront payment", Filters(until="2022-12")) == ["2022-03-ct053"]


def test_retrieval_follow_up_is_condensed_with_history(pipeline: Pipeline) -> None:
    history = [
        Turn("user", "What upfront payment will CARsgen receive for CT053?"),
        Turn("assistant", "RMB 200 million [1]."),
    ]
    query = condense_question("And what about the milestones?", history)
    assert "CT053" in query
    assert _docs(pipeline, query)[0] == "2022-03-ct053"
    answer = pipeline.ask("And what about the milestones?", history=history)
    assert answer.citations[0].doc_id == "2022-03-ct053"
    assert "1,025 billion" in answer.text


def test_retrieval_bm25_follows_every_ingest(pipeline: Pipeline, corpus: Path) -> None:
    assert "2025-01-new" not in _docs(pipeline, "ZZ-9087")
    body = "Fir Bio licensed ZZ-9087 to a partner."
    path = write_brief(corpus, "2025-01-new.md", "Fir Bio licenses ZZ-9087", body, "2025-01-02")
    ingest_files(pipeline, corpus, [path])
    assert _docs(pipeline, "ZZ-9087")[0] == "2025-01-new"
    body = "Fir Bio licensed YY-1234 to a partner."
    write_brief(corpus, "2025-01-new.md", "Fir Bio licenses YY-1234", body, "2025-01-02")
    ingest_files(pipeline, corpus, [path])
    assert _docs(pipeline, "YY-1234")[0] == "2025-01-new"
    assert all("ZZ-9087" not in r.text for r in pipeline.lexical.records)
    assert any("YY-1234" in t for t in pipeline.lexical.doc_texts("2025-01-new"))
    remove_document(pipeline, corpus, "2025-01-new")
    assert not path.exists()
    assert "2025-01-new" not in _docs(pipeline, "YY-1234 Fir Bio")
    assert pipeline.lexical.doc_texts("2025-01-new") == []


def test_retrieval_new_topic_in_a_conversation_is_not_condensed(pipeline: Pipeline) -> None:
    history = [Turn("user", "What upfront payment will CARsgen receive for CT053?")]
    answer = pipeline.ask("Which trial is testing RN-5512?", history=history)
    assert answer.retrieved[0][0] == "2024-04-dogwood"
    assert [c.doc_id for c in answer.citations] == ["2024-04-dogwood"]


def test_retrieval_figure_from_another_companys_brief_is_never_the_answer(
    pipeline: Pipeline,
) -> None:
    # Only the CT053 brief states an upfront; the question names Dogwood's RN-5512.
    answer = pipeline.ask("What upfront payment will Dogwood Labs receive for RN-5512?")
    assert "200 million" not in answer.text
    assert all(c.doc_id == "2024-04-dogwood" for c in answer.citations)


def test_retrieval_anchors_include_generic_names_written_in_lower_case(pipeline: Pipeline) -> None:
    # a generic name is as specific as a drug code, though no capital marks it
    pipeline.lexical.sync(pipeline.store)
    anchors = pipeline.lexical.anchors("Who took China rights to sacituzumab tirumotecan?")
    assert anchors == set(lexical_tokens("sacituzumab tirumotecan"))
    assert pipeline.lexical.anchors("Which small molecule doses patients?") == set()


def test_retrieval_anchors_include_codes_typed_in_lower_case(pipeline: Pipeline) -> None:
    # "rn-5512" names Dogwood's drug as "RN-5512" does: the passages kept are its brief's
    pipeline.lexical.sync(pipeline.store)
    typed = pipeline.lexical.anchors("which trial is testing rn-5512?")
    assert typed and typed == pipeline.lexical.anchors("Which trial is testing RN-5512?")


def test_retrieval_anchors_are_names_not_bare_numbers(pipeline: Pipeline) -> None:
    # "24" is rare in the corpus but names nothing: as an anchor it would keep only the briefs
    # that happen to state it (the "00" of a question's "00's" dropped every passage of the
    # article it asked about); a code mixing letters and digits still anchors
    pipeline.lexical.sync(pipeline.store)
    assert pipeline.lexical.doc_freq("24") > 0
    assert pipeline.lexical.anchors("How far did HbA1c fall over 24 weeks?") == set(
        lexical_tokens("HbA1c")
    )
    # nor is the "6m" of "2.6m" a code: it begins inside a number (a digit as rare as a name)
    limit = pipeline.lexical.rare_limit()
    rare = [d for d in "123456789" if 0 < pipeline.lexical.doc_freq(d) <= limit]
    assert rare and pipeline.lexical.anchors(f"Who raised 2.{rare[0]}m over 24 weeks?") == set()


def test_retrieval_exact_dense_side_ranks_as_chroma_and_keeps_to_filters(
    pipeline: Pipeline,
) -> None:
    # under the limit every chunk is scored: the same order as Chroma's own search on a store
    # this small, and a filter's positions only
    pipeline.lexical.sync(pipeline.store)
    assert pipeline.lexical.exact
    query = "glycemic efficacy readout"
    records = pipeline.lexical.records
    vector = pipeline.embed_model.get_query_embedding(query)
    hits = pipeline.lexical.nearest(vector, 3)
    assert [records[p].doc_id for p, _ in hits] == _dense_docs(pipeline, query)
    assert hits[0][1] >= hits[1][1] >= hits[2][1]
    birch = [n for n, r in enumerate(records) if r.doc_id == "2024-02-birch"]
    assert [p for p, _ in pipeline.lexical.nearest(vector, 3, birch)] == birch[:3]


def test_retrieval_dense_side_uses_chroma_index_above_the_exact_limit(
    tmp_path: Path, real_embedder: Any
) -> None:
    root = tmp_path / "corpus"
    for slug, title, code in SIMILAR[:3]:
        write_brief(root, f"{slug}.md", title, f"The first patient got {code}.", date=slug[:7])
    settings = Settings(data_dir=tmp_path / "data", llm_backend="extractive",
                        exact_search_limit=2)  # fmt: skip
    with build_pipeline(settings, embed_model=real_embedder) as small:
        ingest_files(small, root, [root / f"{SIMILAR[0][0]}.md"], progress=False)
        small.lexical.sync(small.store)
        assert small.lexical.exact
        ingest_folder(small, root, progress=False)  # three chunks: past the limit
        assert _docs(small, "first patient got LM-2093")[0] == "2024-02-birch"
        assert not small.lexical.exact
        for slug, _title, _code in SIMILAR[1:3]:  # back under it: every chunk read again
            remove_document(small, root, slug)
        assert _docs(small, "first patient got LM-2093") == [SIMILAR[0][0]]
        assert small.lexical.exact
