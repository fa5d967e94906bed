"""The HTTP API over real HTTP: uvicorn on a free loopback port, real Chroma, real embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.ledger.types import KINDS
from rag.pipeline import Pipeline, build_pipeline
from rag.settings import Settings
from rag.types import Answer, Citation
from tests.ui.conftest import CT053, XSS_TITLE, ServerThread, make_pipeline, small_corpus
from ui.render import render_answer
from ui.server import create_server_app

CT053_Q = "What upfront payment will CARsgen receive for CT053?"
NEW_BRIEF = (
    b'---\ntitle: "Veltora licenses VT-88"\ndate: 2024-09-09\ncompanies: ["Veltora Bio"]\n---\n'
    b"Veltora Bio will receive EUR 64 million upfront for VT-88 from Norwick Pharma.\n"
)


@pytest.fixture
def api(served: tuple[ServerThread, Pipeline]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0].url, timeout=60) as client:
        yield client


def _uploads(pipeline: Pipeline) -> list[str]:
    folder = pipeline.settings.uploads_dir
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_api_health_reports_index_size_and_models(api: httpx.Client) -> None:
    health = api.get("/api/health").json()
    assert (health["documents"], health["backend"]) == (3, "extractive")
    assert health["chunks"] >= 3 and health["model"] and health["embed_model"]


def test_api_ask_answers_with_numbered_citations(api: httpx.Client) -> None:
    response = api.post("/api/ask", json={"question": CT053_Q})
    assert response.status_code == 200
    body = response.json()
    assert "200 million" in body["answer"] and "[1]" in body["answer"]
    assert not body["abstained"] and body["citations"][0]["doc_id"] == CT053
    assert body["citations"][0]["quote"] in body["citations"][0]["text"]


def test_api_ask_takes_history_and_filters(api: httpx.Client) -> None:
    history = [{"role": "user", "content": CT053_Q}, {"role": "assistant", "content": "RMB 200m"}]
    follow = api.post("/api/ask", json={"question": "And the milestones?", "history": history})
    assert follow.status_code == 200 and follow.json()["citations"][0]["doc_id"] == CT053
    later = {"question": CT053_Q, "filters": {"since": "2030", "until": "", "company": None}}
    assert api.post("/api/ask", json=later).json()["abstained"] is True
    other = {"question": CT053_Q, "filters": {"company": "testco"}}  # the two other briefs
    retrieved = api.post("/api/ask", json=other).json()["retrieved_doc_ids"]
    assert retrieved and CT053 not in retrieved


def test_api_ask_bad_input_is_a_4xx_with_detail(api: httpx.Client) -> None:
    bad_date = api.post("/api/ask", json={"question": CT053_Q, "filters": {"since": "May"}})
    assert bad_date.status_code == 400 and "YYYY" in bad_date.json()["detail"]
    unknown = api.post("/api/ask", json={"question": CT053_Q, "filters": {"company": "Nobody"}})
    assert unknown.status_code == 400 and "no brief names" in unknown.json()["detail"]
    assert api.post("/api/ask", json={"question": ""}).status_code == 422
    wrong_role = {"question": "x", "history": [{"role": "system", "content": "x"}]}
    assert api.post("/api/ask", json=wrong_role).status_code == 422


def test_api_upload_ask_delete_round_trip(
    api: httpx.Client, served: tuple[ServerThread, Pipeline]
) -> None:
    files = [
        ("files", ("2024-09-veltora-vt88.md", NEW_BRIEF, "text/markdown")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    upload = api.post("/api/documents", files=files)
    assert upload.status_code == 200, upload.text
    body = upload.json()
    assert body["added"] == ["uploads/2024-09-veltora-vt88"]
    assert body["rejected"] == [{"path": "empty.txt", "reason": "empty file"}]
    assert _uploads(served[1]) == ["2024-09-veltora-vt88.md"]
    listed = {d["doc_id"]: d for d in api.get("/api/documents").json()["documents"]}
    assert listed["uploads/2024-09-veltora-vt88"]["title"] == "Veltora licenses VT-88"

    answer = api.post("/api/ask", json={"question": "What will Veltora Bio receive for VT-88?"})
    assert "64 million" in answer.json()["answer"]
    again = api.post("/api/documents", files=[files[0]]).json()
    assert again["unchanged"] == ["uploads/2024-09-veltora-vt88"]

    deleted = api.delete("/api/documents/uploads/2024-09-veltora-vt88")
    assert deleted.status_code == 200
    assert deleted.json()["removed_files"] == ["uploads/2024-09-veltora-vt88.md"]
    assert "uploads/2024-09-veltora-vt88" not in api.get("/api/documents").text
    assert _uploads(served[1]) == []
    missing = api.delete("/api/documents/uploads/2024-09-veltora-vt88")
    assert missing.status_code == 404 and "no document" in missing.json()["detail"]


@pytest.mark.parametrize(
    "name", ["../escape.md", "../../etc/escape.md", "/tmp/escape.md", "..\\escape.md", "a/b.md"]
)
def test_api_upload_rejects_path_traversal(
    api: httpx.Client, served: tuple[ServerThread, Pipeline], name: str
) -> None:
    corpus = served[1].settings.corpus_dir
    before = sorted(p for p in corpus.parent.rglob("*") if "data" not in p.parts)
    response = api.post("/api/documents", files=[("files", (name, NEW_BRIEF, "text/markdown"))])
    assert response.status_code == 400
    assert "bare file name" in response.json()["detail"]
    after = sorted(p for p in corpus.parent.rglob("*") if "data" not in p.parts)
    assert after == before and not Path("/tmp/escape.md").exists()


def test_api_upload_over_the_limit_is_413(
    api: httpx.Client, served: tuple[ServerThread, Pipeline]
) -> None:
    limit = int(served[1].settings.max_upload_mb * 1e6)
    big = b"# Big\n\n" + b"word " * (limit // 5)
    good = ("files", ("small.md", NEW_BRIEF, "text/markdown"))
    response = api.post("/api/documents", files=[good, ("files", ("big.md", big, "text/plain"))])
    assert response.status_code == 413 and "upload limit" in response.json()["detail"]
    assert _uploads(served[1]) == []  # the whole request was refused


def test_api_upload_of_unreadable_files_only_is_422(api: httpx.Client) -> None:
    response = api.post("/api/documents", files=[("files", ("blank.md", b"\n\n", "text/plain"))])
    assert response.status_code == 422
    assert response.json()["rejected"][0]["path"] == "blank.md"


def test_api_brief_with_html_comes_back_as_text(api: httpx.Client) -> None:
    body = api.post("/api/ask", json={"question": "What will Zorbex receive for ZX-117?"}).json()
    assert "77 million" in body["answer"]
    cited = body["citations"][0]
    assert "<script>window.__xss = 2</script>" in cited["text"]  # JSON keeps the text as is
    assert "onerror='window.__xss=1'" in cited["title"]
    citation = Citation(**{**cited, "span": tuple(cited["span"])})
    answer = Answer(body["question"], body["answer"], False, (citation,), (), "extractive")
    html = render_answer(answer, "t")  # what the page shows for this very answer
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;window.__xss = 2&lt;/script&gt;" in html


def test_api_deals_lists_the_ledger_with_cites(api: httpx.Client) -> None:
    body = api.get("/api/deals").json()
    assert body["count"] == len(body["deals"]) >= 3
    dates = [d["date"] for d in body["deals"]]
    assert dates == sorted(dates)  # oldest first
    [ct053] = [d for d in body["deals"] if d["doc_id"] == CT053]
    assert ct053["kind"] == "licence" and "CT053" in ct053["asset"]
    assert {(p["name"], p["role"]) for p in ct053["parties"]} >= {
        ("CARsgen Therapeutics", "licensor"),
        ("Huadong Medicine", "licensee"),
    }
    upfront = ct053["money"]["upfront"]
    assert (upfront["text"], upfront["usd"]) == ("RMB 200 million (USD 29.5 million)", 29.5e6)
    assert "upfront payment of RMB 200 million" in ct053["cites"]["upfront"]["quote"]
    zorbex = next(d for d in body["deals"] if d["doc_id"] == "briefs/2024-03-zorbex-zx117")
    assert zorbex["title"] == XSS_TITLE  # JSON keeps the brief's text as is


def test_api_deals_filters_by_kind_company_asset_and_dates(api: httpx.Client) -> None:
    def ids(**params: str) -> list[str]:
        body = api.get("/api/deals", params=params).json()
        assert body["count"] == len(body["deals"])
        return [d["doc_id"] for d in body["deals"]]

    assert ids(kind="licence", company="huadong") == [CT053]
    assert ids(asset="ct053") == [CT053] and ids(asset="CT053", kind="financing") == []
    assert CT053 not in ids(since="2024") and ids(since="2024", until="2024-05") == [
        "briefs/2024-03-zorbex-zx117"
    ]
    assert ids(until="2023") == [CT053]
    assert ids(kind="", company=" ", asset="", since="", until="") == ids()  # blank = none
    assert ids(company="Nobody Pharma") == []


def test_api_deals_bad_kind_or_date_is_400_naming_what_is_valid(api: httpx.Client) -> None:
    response = api.get("/api/deals", params={"kind": "merger"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "unknown deal kind 'merger'" in detail and all(k in detail for k in KINDS)
    bad_date = api.get("/api/deals", params={"since": "202403"})
    assert bad_date.status_code == 400 and "YYYY-MM" in bad_date.json()["detail"]


def test_api_deals_follow_uploads_and_deletes(api: httpx.Client) -> None:
    files = [("files", ("2024-09-veltora-vt88.md", NEW_BRIEF, "text/markdown"))]
    assert api.post("/api/documents", files=files).status_code == 200
    veltora = api.get("/api/deals", params={"company": "veltora"}).json()["deals"]
    assert [d["doc_id"] for d in veltora] == ["uploads/2024-09-veltora-vt88"]
    assert veltora[0]["money"]["upfront"]["text"] == "EUR 64 million"
    api.delete("/api/documents/uploads/2024-09-veltora-vt88")
    assert api.get("/api/deals", params={"company": "veltora"}).json() == {"deals": [], "count": 0}


def test_api_openapi_lists_the_routes(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/documents", "/api/health", "/api/deals"} <= set(paths)
    assert {"get", "post"} <= set(paths["/api/documents"]) and "delete" in str(paths)


def test_api_empty_index_is_a_json_error(tmp_path: Path, real_embedder: Any) -> None:
    settings = Settings(data_dir=tmp_path / "d", corpus_dir=tmp_path, llm_backend="extractive")
    with (
        build_pipeline(settings, embed_model=real_embedder) as pipeline,
        ServerThread(create_server_app(pipeline)) as server,
    ):
        response = httpx.post(f"{server.url}/api/ask", json={"question": CT053_Q}, timeout=30)
        assert response.status_code == 409
        assert response.json() == {"detail": "the index is empty; run briefqa ingest"}
        assert httpx.get(f"{server.url}/api/health").json()["documents"] == 0


def test_api_token_required_when_set(tmp_path: Path, real_embedder: Any) -> None:
    small_corpus(tmp_path / "corpus")
    with (
        make_pipeline(tmp_path, real_embedder, api_token="s3cret-token") as pipeline,
        ServerThread(create_server_app(pipeline)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        routes = [("GET", "/api/health"), ("GET", "/api/documents"), ("POST", "/api/ask"),
                  ("GET", "/api/deals")]  # fmt: skip
        for method, path in [*routes, ("DELETE", "/api/documents/" + CT053)]:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
                response = client.request(method, path, headers=headers, json={"question": "x"})
                assert response.status_code == 401, (method, path, headers)
                assert "API token" in response.json()["detail"]
        good = {"Authorization": "Bearer s3cret-token"}
        assert client.get("/api/health", headers=good).json()["documents"] == 3
        assert client.get("/api/deals", headers=good).json()["count"] >= 3
        ask = client.post("/api/ask", headers=good, json={"question": CT053_Q})
        assert "200 million" in ask.json()["answer"]
        assert CT053 in pipeline.store.documents()  # the unauthorized delete did nothing

        # The page wants a login: the token is the password.
        assert client.get("/config").status_code == 401
        assert client.post("/login", data={"username": "me", "password": "nope"}).is_error
        assert client.post("/login", data={"username": "me", "password": "s3cret-token"}).is_success
        assert client.get("/config").status_code == 200


def test_api_without_token_needs_no_auth(api: httpx.Client) -> None:
    assert api.get("/api/health").status_code == 200
    assert api.get("/config").status_code == 200
