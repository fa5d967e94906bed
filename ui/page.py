"""`build_app(pipeline)`: the Gradio page (chat with sources, filters, documents and deals tabs).

The page only builds Blocks; `ui.server` mounts them (with `PAGE_CSS`, `PAGE_HEAD` and
`page_theme()`) next to the API. All pipeline access goes through the shared `BriefService`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from rag.errors import BriefqaError
from rag.prompts import Turn
from rag.retrieval import Filters
from rag.types import Answer
from ui import render
from ui.deals_tab import build_deals_tab
from ui.service import BriefService, UploadItem

log = logging.getLogger("briefqa.ui")

EXAMPLES = [
    "What upfront payment will CARsgen receive for CT053?",
    "Which BCMA CAR-T therapies have been approved by the NMPA?",
    "How much did Cloudgate Biosciences raise in its Series C?",
]
ANY_COMPANY = ""

PAGE_CSS = """
.bq-draft { border: 1px dashed #b58900; border-radius: 6px; padding: 6px 10px; opacity: .85; }
.bq-draft-label { font-size: .8em; font-weight: 600; color: #b58900; }
.bq-draft-text { font-style: italic; }
.bq-badge { display: inline-block; font-size: .75em; padding: 1px 7px; border-radius: 9px;
  margin-right: 4px; font-weight: 600; }
.bq-checked { background: #e3f4e8; color: #1b6b34; }
.bq-abstained { background: #f3f0e6; color: #6b5a1b; }
.bq-repaired { background: #fde8d7; color: #8a3d00; }
.bq-notice { font-size: .85em; background: #eef3fb; border-left: 3px solid #4a78c2;
  padding: 3px 8px; margin: 4px 0; }
.bq-error { color: #a40000; }
.bq-text { margin: 6px 0; }
.bq-sources-head { font-weight: 600; font-size: .85em; margin-top: 8px; }
.bq-source { border: 1px solid #ddd; border-radius: 6px; padding: 3px 8px; margin: 4px 0;
  font-size: .9em; }
.bq-source summary { cursor: pointer; }
.bq-source.bq-flash { outline: 2px solid #4a78c2; }
.bq-passage { margin: 6px 0 4px 0; padding-left: 8px; border-left: 3px solid #ccc;
  white-space: normal; }
mark.bq-quote { background: #fff1a8; color: inherit; padding: 0 1px; }
a.bq-marker { text-decoration: none; font-weight: 600; cursor: pointer; }
.bq-docs { width: 100%; border-collapse: collapse; font-size: .9em; }
.bq-docs th, .bq-docs td { border-bottom: 1px solid #e5e5e5; padding: 3px 6px; text-align: left; }
.bq-rejected { color: #a40000; }
.bq-deal-sources ul, .bq-timeline { padding-left: 18px; margin: 4px 0; }
.bq-deal-cite { margin: 4px 0; }
.bq-deal-cite.bq-picked .bq-passage { border-left-color: #4a78c2; background: #eef3fb; }
.bq-deal-fields, .bq-tl-terms, .bq-tl-brief, .bq-plot-caption { font-size: .85em; color: #555; }
.bq-tl-event { margin: 6px 0; }
.bq-tl-date { font-weight: 600; }
.bq-tl-kind { background: #eef3fb; color: #2b4f8a; }
.bq-role { color: #666; font-size: .9em; }
"""

# Clicking a [n] marker opens and shows its source (the chat's sanitizer keeps ids and hrefs).
PAGE_HEAD = """
<script>
document.addEventListener("click", function (event) {
  var marker = event.target.closest ? event.target.closest("a.bq-marker") : null;
  if (!marker) { return; }
  event.preventDefault();
  event.stopPropagation();
  var key = (marker.getAttribute("href") || "").replace(/^#/, "");
  var source = key ? document.getElementById(key) : null;
  if (!source) { return; }
  source.open = true;
  source.classList.add("bq-flash");
  source.scrollIntoView({block: "nearest"});
  setTimeout(function () { source.classList.remove("bq-flash"); }, 1500);
}, true);
</script>
"""


def page_theme() -> gr.themes.Base:
    """The default theme with system fonts (no web-font downloads: briefqa runs offline)."""
    return gr.themes.Default(
        font=["ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    )


def _messages(exchanges: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for ex in exchanges:
        out.append({"role": "user", "content": render.render_question(ex["question"])})
        out.append({"role": "assistant", "content": ex["html"]})
    return out


def _turns(exchanges: list[dict[str, Any]]) -> list[Turn]:
    turns = []
    for ex in exchanges:
        if ex["answer"] is not None:  # failed exchanges are not part of the conversation
            turns += [Turn("user", ex["question"]), Turn("assistant", ex["answer"])]
    return turns


def _filters(company: str | None, since: str | None, until: str | None) -> Filters:
    return Filters(
        company=(company or "").strip() or None,
        since=(since or "").strip() or None,
        until=(until or "").strip() or None,
    )


def build_app(pipeline: Any, service: BriefService | None = None) -> gr.Blocks:
    """The Blocks of the page; not launched (see `ui.server`)."""
    service = service or BriefService.of(pipeline)

    def respond(
        message: str, exchanges: list[dict[str, Any]], company: str, since: str, until: str
    ) -> Iterator[tuple[Any, ...]]:
        question = (message or "").strip()
        if not question:
            yield _messages(exchanges), exchanges, message
            return
        shown = _messages(exchanges) + [
            {"role": "user", "content": render.render_question(question)}
        ]
        yield shown + [{"role": "assistant", "content": render.render_pending()}], exchanges, ""
        draft: list[str] = []
        answer: Answer | None = None
        try:
            filters = _filters(company, since, until)
            for event in service.stream(question, _turns(exchanges), filters):
                if isinstance(event, Answer):
                    answer = event
                else:
                    draft.append(event)
                    bubble = render.render_draft("".join(draft))
                    yield shown + [{"role": "assistant", "content": bubble}], exchanges, ""
        except BriefqaError as exc:
            html, text = render.render_error(str(exc)), None
        except Exception as exc:
            log.exception("answering %r failed", question)
            html, text = render.render_error(f"internal error ({type(exc).__name__})"), None
        else:
            if answer is None:  # pragma: no cover - stream() always ends with an Answer
                html, text = render.render_error("no answer was produced"), None
            else:
                html, text = render.render_answer(answer, uuid.uuid4().hex[:8]), answer.text
        exchanges = exchanges + [{"question": question, "answer": text, "html": html}]
        yield _messages(exchanges), exchanges, ""

    def refresh() -> tuple[Any, ...]:
        try:
            docs = service.documents()
            companies = service.companies() if docs else []
        except BriefqaError as exc:
            note = render.render_note(str(exc), "error")
            return gr.update(), note, gr.update()
        company_choices = [("Any company", ANY_COMPANY)] + [(c, c) for c in companies]
        doc_choices = [(f"{d.title or d.doc_id} ({d.doc_id})", d.doc_id) for d in docs]
        return (
            gr.update(choices=company_choices),
            render.render_documents(docs),
            gr.update(choices=doc_choices, value=None),
        )

    def upload(paths: list[str] | None, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
        if not paths:
            raise gr.Error("Choose one or more files first.")
        items = [UploadItem(Path(p).name, Path(p).read_bytes()) for p in paths]

        def report(done: int, total: int, name: str) -> None:
            progress((done, total), desc=f"ingesting {name}", unit="files")

        try:
            result = service.upload(items, progress=report)
        except BriefqaError as exc:
            raise gr.Error(str(exc)) from None
        return render.render_upload_result(result)

    def delete(doc_id: str | None) -> str:
        if not doc_id:
            raise gr.Error("Choose a document to delete.")
        try:
            removed = service.delete(doc_id)
        except BriefqaError as exc:
            raise gr.Error(str(exc)) from None
        files = ", ".join(removed) or "no files on disk"
        return render.render_note(f"Deleted {doc_id} (removed {files}).")

    with gr.Blocks(title="briefqa", analytics_enabled=False) as app:
        gr.Markdown(
            "## briefqa\nAnswers from pharma and biotech news briefs. Every answer is checked "
            "against the briefs it cites; click a marker such as [1] to see its passage."
        )
        exchanges = gr.State([])
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="Conversation",
                        height=560,
                        elem_id="bq-chat",
                        latex_delimiters=[],
                        feedback_options=None,
                        buttons=["copy", "copy_all"],
                        placeholder="Ask a question about the briefs, or pick an example.",
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            show_label=False,
                            placeholder="Ask about deals, approvals, trials, financings…",
                            elem_id="bq-question",
                            scale=5,
                            max_lines=4,
                        )
                        ask = gr.Button("Ask", variant="primary", elem_id="bq-ask", scale=1)
                    clear = gr.Button("New conversation", size="sm", elem_id="bq-clear")
                    gr.Examples(EXAMPLES, inputs=question, label="Example questions")
                with gr.Column(scale=1, min_width=220):
                    gr.Markdown("### Filters")
                    company = gr.Dropdown(
                        label="Company",
                        choices=[("Any company", ANY_COMPANY)],
                        value=ANY_COMPANY,
                        elem_id="bq-company",
                    )
                    since = gr.Textbox(label="Since", placeholder="YYYY[-MM[-DD]]")
                    until = gr.Textbox(label="Until", placeholder="YYYY[-MM[-DD]]")
            with gr.Tab("Documents", id="documents"):
                docs_html = gr.HTML(elem_id="bq-docs")
                files = gr.File(
                    label="Upload briefs (.txt, .md, .html, .pdf, optional .meta.json; "
                    "several at once)",
                    file_count="multiple",
                    type="filepath",
                    elem_id="bq-files",
                )
                upload_btn = gr.Button("Add to the index", variant="primary", elem_id="bq-upload")
                upload_out = gr.HTML(elem_id="bq-upload-result")
                with gr.Row():
                    doc_pick = gr.Dropdown(label="Brief to delete", choices=[], scale=4)
                    delete_btn = gr.Button("Delete", variant="stop", scale=1, elem_id="bq-delete")
                delete_out = gr.HTML(elem_id="bq-delete-result")
            deals_tab = build_deals_tab(service)

        chat_io: dict[str, Any] = {
            "fn": respond,
            "inputs": [question, exchanges, company, since, until],
            "outputs": [chatbot, exchanges, question],
        }
        question.submit(**chat_io)
        ask.click(**chat_io)
        clear.click(lambda: ([], [], ""), outputs=[chatbot, exchanges, question])
        chatbot.clear(lambda: [], outputs=exchanges)  # the chat's own trash button
        refresh_io = {"fn": refresh, "outputs": [company, docs_html, doc_pick]}
        upload_btn.click(upload, inputs=files, outputs=upload_out).then(
            lambda: None, outputs=files
        ).then(**refresh_io).then(**deals_tab.refresh_io)
        deleted = delete_btn.click(delete, inputs=doc_pick, outputs=delete_out)
        deleted.then(**refresh_io).then(**deals_tab.refresh_io)
        app.load(**refresh_io).then(**deals_tab.refresh_io)
    return app
