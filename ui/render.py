"""Pure HTML rendering of answers, sources, drafts and document lists (no Gradio here).

Every piece of text that comes from a brief, a user or a model goes through `text()`, which
HTML-escapes it, so a brief holding `<script>` or `<img onerror=...>` is shown as text. The output
never contains a blank line: the chat renders it as one raw HTML block, untouched by Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rag.store import DocState
from rag.types import Answer, Citation, Passage

_MARKER = re.compile(r"\[(\d+)\]")


def text(value: object) -> str:
    """Escape any text for HTML; line breaks become `<br>`."""
    escaped = html.escape(str(value), quote=True)
    return "<br>".join(line for line in escaped.replace("\r", "").split("\n"))


def source_key(key: str, n: int) -> str:
    """The id of source n under the answer identified by `key`."""
    return f"bq-{key}-s{n}"


def highlight(passage: str, quote: str) -> str:
    """The passage, escaped, with the supporting sentence wrapped in `<mark>`."""
    start = passage.find(quote) if quote else -1
    if start < 0:
        return text(passage)
    end = start + len(quote)
    return (
        text(passage[:start])
        + '<mark class="bq-quote">'
        + text(quote)
        + "</mark>"
        + text(passage[end:])
    )


def answer_text(answer_body: str, key: str, numbers: Iterable[int]) -> str:
    """The answer, escaped, its [n] markers turned into links to source n."""
    known = set(numbers)

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group(0)
        target = source_key(key, n)
        return f'<a class="bq-marker" href="#{target}" title="Show source {n}">[{n}]</a>'

    return _MARKER.sub(link, text(answer_body))


def _meta_line(title: str, date: str, source: str, doc_id: str) -> str:
    parts = [f'<span class="bq-title">{text(title or doc_id)}</span>']
    if date:
        parts.append(f'<span class="bq-date">{text(date)}</span>')
    if source:
        parts.append(f'<span class="bq-source-name">{text(source)}</span>')
    parts.append(f'<code class="bq-doc-id">{text(doc_id)}</code>')
    return " · ".join(parts)


def citation(c: Citation, key: str) -> str:
    """One numbered source: a `<details>` block whose summary names the brief."""
    target = source_key(key, c.n)
    return (
        f'<details class="bq-source" id="{target}">'
        f'<summary><b class="bq-n">[{c.n}]</b> {_meta_line(c.title, c.date, c.source, c.doc_id)}'
        f'</summary><blockquote class="bq-passage">{highlight(c.text, c.quote)}</blockquote>'
        "</details>"
    )


def passage(p: Passage, key: str, n: int) -> str:
    """One of the closest passages shown with an abstention (nothing highlighted)."""
    target = source_key(key, n)
    return (
        f'<details class="bq-source bq-closest" id="{target}">'
        f"<summary>{_meta_line(p.title, p.date, p.source, p.doc_id)}</summary>"
        f'<blockquote class="bq-passage">{text(p.text)}</blockquote></details>'
    )


def render_answer(answer: Answer, key: str) -> str:
    """The checked answer with its badges, notice and numbered sources (or closest passages)."""
    badges = []
    if answer.abstained:
        badges.append('<span class="bq-badge bq-abstained">Not in the briefs</span>')
    elif answer.mode == "ledger":
        badges.append(
            '<span class="bq-badge bq-checked" title="Each item is a row of the deal ledger, read '
            'from the highlighted sentence">From the deal ledger</span>'
        )
    elif answer.mode == "written":
        badges.append(
            '<span class="bq-badge bq-checked" title="Every figure, date and name of it stands in '
            'the cited sentences">Written by the LLM, checked against the sources</span>'
        )
    else:
        badges.append(
            '<span class="bq-badge bq-checked" title="The answer is copied from the highlighted '
            'sentences">Quoted from the sources</span>'
        )
    if answer.repaired:
        badges.append(
            '<span class="bq-badge bq-repaired" title="The LLM\'s answer did not match the cited '
            'passages, so the quoted answer is shown">LLM answer set aside</span>'
        )
    parts = [f'<div class="bq-answer{" bq-answer-abstained" if answer.abstained else ""}">']
    parts.append(f'<div class="bq-badges">{" ".join(badges)}</div>')
    if answer.notice:
        parts.append(f'<div class="bq-notice">Note: {text(answer.notice)}</div>')
    numbers = [c.n for c in answer.citations]
    parts.append(f'<div class="bq-text">{answer_text(answer.text, key, numbers)}</div>')
    if answer.abstained:
        if answer.passages:
            parts.append('<div class="bq-sources-head">Closest passages</div>')
            parts += [passage(p, key, n) for n, p in enumerate(answer.passages, start=1)]
        else:
            parts.append('<div class="bq-sources-head">No passage came close.</div>')
    elif answer.citations:
        parts.append('<div class="bq-sources-head">Sources</div>')
        parts += [citation(c, key) for c in answer.citations]
    parts.append("</div>")
    return "".join(parts)


def render_draft(draft: str) -> str:
    """The LLM's unchecked text while it streams, clearly labelled as a draft."""
    body = text(draft) if draft.strip() else "…"
    return (
        '<div class="bq-draft"><div class="bq-draft-label">Draft, not yet checked against the '
        f'sources…</div><div class="bq-draft-text">{body}</div></div>'
    )


def render_pending() -> str:
    """Shown before the first draft token arrives."""
    return '<div class="bq-draft"><div class="bq-draft-label">Searching the briefs…</div></div>'


def render_error(message: str) -> str:
    """An error shown inline in the chat (never a traceback)."""
    return f'<div class="bq-error">Could not answer: {text(message)}</div>'


def render_question(question: str) -> str:
    """The user's message, shown as typed."""
    return f'<div class="bq-question">{text(question)}</div>'


def render_documents(docs: Sequence[DocState]) -> str:
    """The ingested briefs as a table."""
    if not docs:
        return '<p class="bq-empty">The index is empty: upload briefs below.</p>'
    rows = "".join(
        f"<tr><td>{text(d.title or d.doc_id)}</td><td>{text(d.date)}</td>"
        f'<td class="bq-num">{d.chunk_count}</td><td><code>{text(d.doc_id)}</code></td></tr>'
        for d in docs
    )
    total = sum(d.chunk_count for d in docs)
    return (
        f'<p class="bq-count">{len(docs)} briefs, {total} chunks</p>'
        '<table class="bq-docs"><thead><tr><th>Title</th><th>Date</th><th>Chunks</th>'
        f"<th>Document id</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def render_upload_result(result: Any) -> str:
    """What an upload did: ingested ids and rejected files with their reasons."""
    parts = []
    for label, ids in (
        ("Added", result.added),
        ("Updated", result.updated),
        ("Unchanged", result.unchanged),
    ):
        if ids:
            items = "".join(f"<li><code>{text(i)}</code></li>" for i in ids)
            parts.append(f'<div class="bq-up-{label.lower()}">{label}:<ul>{items}</ul></div>')
    if result.rejected:
        items = "".join(
            f"<li><code>{text(r['path'])}</code>: {text(r['reason'])}</li>" for r in result.rejected
        )
        parts.append(f'<div class="bq-rejected">Rejected:<ul>{items}</ul></div>')
    return "".join(parts) or "<p>No files were uploaded.</p>"


def render_note(message: str, kind: str = "info") -> str:
    """A one-line status or error note."""
    return f'<p class="bq-{kind}">{text(message)}</p>'
