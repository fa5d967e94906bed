"""The page in a real browser (Debian's Chromium via Playwright), embedded LLM, end to end."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.pipeline import Pipeline
from tests.conftest import CORPUS, write_brief
from tests.ui.conftest import CT053, XSS_BODY, XSS_TITLE, ServerThread, make_pipeline
from ui.service import BriefService

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CT053_Q = "What upfront payment will CARsgen receive for CT053?"
UPLOAD_Q = "How much will Zorbex Bio receive upfront for ZX-117?"
UPLOAD_ID = "uploads/2024-03-zorbex-zx117"
ANSWER_WAIT_MS = 180_000
ANSWERS = "#bq-chat .bq-answer, #bq-chat .bq-error"


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium page that may only reach 127.0.0.1."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        message = "Debian's chromium is missing (apt-get install chromium; `make test` does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda r: r.abort())
        try:
            yield page
        finally:
            page.screenshot(path=str(tmp_path / "page-last.png"), full_page=True)
            browser.close()


@pytest.fixture
def embedded_server(tmp_path: Path, real_embedder: Any) -> Iterator[tuple[ServerThread, Pipeline]]:
    """The CT053 brief and two short ones, answered by the default embedded LLM."""
    from ui.server import create_server_app

    root = tmp_path / "corpus"
    for suffix in (".txt", ".meta.json"):
        (root / "briefs").mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / (CT053 + suffix), root / (CT053 + suffix))
    quillon = "Quillon Therapeutics raised USD 45 million in a Series B round led by Brightwater."
    veltora = "Veltora Bio will receive EUR 64 million upfront for VT-88 from Norwick Pharma."
    write_brief(root, "briefs/2024-06-quillon-series-b.md", "Quillon Therapeutics closes Series B",
                quillon, date="2024-06-10")  # fmt: skip
    write_brief(root, "briefs/2024-09-veltora-vt88.md", "Veltora licenses VT-88", veltora,
                date="2024-09-09")  # fmt: skip
    # the bundled model writes here (it does not by default), so a draft streams to the page
    with make_pipeline(
        tmp_path, real_embedder, llm_backend="embedded", llm_writes="always"
    ) as pipeline:
        BriefService.of(pipeline).warm_up()  # loads the GGUF before the page asks
        with ServerThread(create_server_app(pipeline)) as server:
            yield server, pipeline


def _ask(page: Any, question: str, answers_before: int) -> Any:
    page.fill("#bq-question textarea", question)
    page.click("#bq-ask")
    page.wait_for_function(
        f"document.querySelectorAll('{ANSWERS}').length > {answers_before}",
        timeout=ANSWER_WAIT_MS,
    )
    return page.locator(ANSWERS).last


@pytest.mark.slow
def test_browser_ask_cite_upload_and_ask_again(
    embedded_server: tuple[ServerThread, Pipeline], browser_page: Any, tmp_path: Path
) -> None:  # the server comes first, so the browser is closed before the server stops
    page = browser_page
    server, pipeline = embedded_server
    page.goto(server.url)
    page.wait_for_selector("#bq-question textarea")
    # Record whether a labelled draft was ever shown while the answer streamed.
    page.evaluate(
        """() => { window.__drafts = 0; new MutationObserver(() => {
             if (document.querySelector('#bq-chat .bq-draft-text')) window.__drafts++;
           }).observe(document.body, {subtree: true, childList: true, characterData: true}); }"""
    )

    page.get_by_text(CT053_Q).first.click()  # the example fills the question box
    page.wait_for_function(f"document.querySelector('#bq-question textarea').value === {CT053_Q!r}")
    answer = _ask(page, CT053_Q, 0)
    assert page.evaluate("window.__drafts") > 0  # the draft streamed, labelled as such
    assert page.locator("#bq-chat .bq-draft").count() == 0  # ...and was replaced
    assert "200 million" in answer.locator(".bq-text").inner_text()
    assert answer.locator(".bq-doc-id", has_text=CT053).count() == 1
    shown = answer.inner_text()
    assert "Quoted from the sources" in shown or "Written by the LLM, checked" in shown
    answer.locator("a.bq-marker").first.click()  # a marker opens its source's passage
    quote = answer.locator("details.bq-source[open] mark.bq-quote").first
    assert quote.is_visible() and "200 million" in quote.inner_text()
    page.screenshot(path=str(tmp_path / "page-ct053.png"), full_page=True)

    page.get_by_role("tab", name="Documents").click()
    page.wait_for_selector("#bq-docs :text('Quillon Therapeutics closes Series B')")
    upload = tmp_path / "to-upload"
    brief = write_brief(upload, "2024-03-zorbex-zx117.md", XSS_TITLE, XSS_BODY, date="2024-03-02")
    (upload / "notes.docx").write_bytes(b"not a brief")
    page.set_input_files("#bq-files input[type=file]", [str(brief), str(upload / "notes.docx")])
    page.wait_for_function(  # both files are listed (name and extension on separate lines)
        "(t => !t.includes('Uploading') && t.includes('notes') && t.includes('zorbex-zx117'))"
        "(document.querySelector('#bq-files').innerText)"
    )
    page.click("#bq-upload")
    page.wait_for_selector("#bq-upload-result :text('Added')", timeout=60_000)
    result = page.inner_text("#bq-upload-result")
    assert UPLOAD_ID in result and "notes.docx" in result and "unsupported file type" in result
    page.wait_for_selector(f"#bq-docs :text('{UPLOAD_ID}')")
    assert XSS_TITLE in page.inner_text("#bq-docs")  # shown as text...
    assert page.locator("#bq-docs img").count() == 0  # ...not as markup
    assert UPLOAD_ID in pipeline.store.documents()

    page.get_by_role("tab", name="Ask").click()
    page.click("#bq-clear")  # a new conversation: the upload question is not a follow-up
    page.wait_for_function("document.querySelectorAll('#bq-chat .bq-answer').length === 0")
    answer = _ask(page, UPLOAD_Q, 0)
    assert "77 million" in answer.locator(".bq-text").inner_text()
    assert answer.locator(".bq-doc-id", has_text=UPLOAD_ID).count() >= 1
    passage = answer.locator(".bq-passage").first.text_content() or ""
    assert "<script>window.__xss = 2</script>" in passage  # brief HTML is shown as text
    assert page.locator("#bq-chat img, #bq-chat script").count() == 0
    assert page.evaluate("window.__xss") is None  # no injected handler ever ran
    page.screenshot(path=str(tmp_path / "page-upload.png"), full_page=True)


CT053_UPFRONT = "RMB 200 million (USD 29.5 million)"
CT053_SENTENCE = "CARsgen will receive an upfront payment of RMB 200 million (USD 29.5 million)"
CELLS = ".bq-cell:visible"  # the table also renders hidden copies of cells to size columns
VELTORA = "Veltora Bio will receive EUR 64 million upfront for VT-88 from Norwick Pharma."


def _cell(page: Any, text: str) -> Any:
    cell = page.locator(f"#bq-deals {CELLS}", has_text=text).first
    cell.wait_for(timeout=60_000)
    return cell


@pytest.mark.slow
def test_browser_deals_tab_cites_each_row_and_follows_uploads(
    served: tuple[ServerThread, Pipeline], browser_page: Any, tmp_path: Path
) -> None:  # the server comes first, so the browser is closed before the server stops
    page = browser_page
    server, _ = served
    page.goto(server.url)
    page.get_by_role("tab", name="Deals").click()

    upfront = _cell(page, CT053_UPFRONT)
    in_row = page.locator(CELLS, has_text=CT053_UPFRONT)
    row = page.locator("#bq-deals [role=row]", has=in_row).first.inner_text()
    assert "licence" in row and "CT053" in row and "2023-01-03" in row
    assert "CARsgen Therapeutics (licensor)" in row and "Huadong Medicine (licensee)" in row
    assert CT053_SENTENCE in (upfront.get_attribute("title") or "")  # the cell's tooltip
    assert "3 of 3 events" in page.inner_text("#bq-deal-count")
    upfront.click()  # selecting the cell shows the row's sentences, its own first
    picked = page.locator("#bq-deal-sources .bq-picked").first
    picked.wait_for(timeout=30_000)
    assert CT053_SENTENCE in picked.inner_text()
    sources = page.inner_text("#bq-deal-sources")
    assert "CARsgen and Huadong Medicine Partner" in sources and "2023-01-03" in sources
    assert "Huadong Medicine (licensee)" in sources
    page.screenshot(path=str(tmp_path / "deals-ct053.png"), full_page=True)

    # A brief's HTML is text in the table and below it; no injected handler runs.
    _cell(page, "briefs/2024-03-zorbex-zx117").click()
    page.wait_for_selector("#bq-deal-sources :text('Zorbex Bio will receive USD 77 million')")
    assert XSS_TITLE in page.inner_text("#bq-deals") and XSS_TITLE in page.inner_text(
        "#bq-deal-sources"
    )
    assert page.locator("#bq-deals img, #bq-deal-sources img, #bq-deal-timeline img").count() == 0
    assert page.evaluate("window.__xss") is None

    assert page.locator("#bq-deal-plot canvas, #bq-deal-plot svg").count() > 0
    assert "left out" in page.inner_text("#bq-deal-left-out")
    company = page.locator("#bq-deal-company textarea, #bq-deal-company input").first
    company.fill("Brightwater")
    company.press("Enter")
    page.wait_for_selector("#bq-deal-count :text('1 of 3 events')")
    assert page.locator(f"#bq-deals {CELLS}", has_text=CT053_UPFRONT).count() == 0
    company.fill("")
    company.press("Enter")
    _cell(page, CT053_UPFRONT)

    page.click("#bq-deal-timeline-asset input")
    page.get_by_role("option", name="CT053", exact=True).click()
    event = page.locator("#bq-deal-timeline .bq-tl-event").first
    event.wait_for(timeout=30_000)
    assert "2023-01-03" in event.inner_text() and "licence" in event.inner_text()
    assert "Huadong Medicine (licensee)" in event.inner_text()

    # An upload on the Documents tab refreshes the ledger's table and the chart's notes.
    page.get_by_role("tab", name="Documents").click()
    upload = tmp_path / "to-upload"
    brief = write_brief(upload, "2024-09-veltora-vt88.md", "Veltora licenses VT-88", VELTORA,
                        date="2024-09-09", companies=("Veltora Bio",))  # fmt: skip
    page.set_input_files("#bq-files input[type=file]", [str(brief)])
    page.wait_for_function(
        "(t => !t.includes('Uploading') && t.includes('veltora-vt88'))"
        "(document.querySelector('#bq-files').innerText)"
    )
    page.click("#bq-upload")
    page.wait_for_selector("#bq-upload-result :text('Added')", timeout=60_000)
    page.get_by_role("tab", name="Deals").click()
    _cell(page, "EUR 64 million")
    page.wait_for_selector("#bq-deal-count :text('4 of 4 events')")
    assert "EUR 64 million" in page.locator("#bq-deal-left-out").text_content()  # no USD stated
    page.screenshot(path=str(tmp_path / "deals-upload.png"), full_page=True)
