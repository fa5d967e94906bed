"""Pure rendering: escaping, quote highlighting, markers, abstain/repaired/notice markings."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.store import DocState
from rag.types import Answer, Citation, Passage
from ui import render
from ui.service import UploadResult

EVIL = '<script>alert(1)</script> and <img src=x onerror="alert(2)">'
PASSAGE = "Acme signed a deal. Acme will receive USD 10 million upfront for AX-1. More later."
QUOTE = "Acme will receive USD 10 million upfront for AX-1."


def _citation(n: int = 1, title: str = "Acme deal", text: str = PASSAGE) -> Citation:
    start = text.find(QUOTE)
    return Citation(n, "briefs/acme", title, "2024-05-01", "Test Wire", text, QUOTE, (start, 0))


def _answer(**changes: object) -> Answer:
    fields: dict[str, object] = {
        "question": "How much will Acme receive?",
        "text": f"“{QUOTE}” [1]",
        "abstained": False,
        "citations": (_citation(),),
        "retrieved": (("briefs/acme", 0.9),),
        "backend": "extractive",
    }
    fields.update(changes)
    return Answer(**fields)  # type: ignore[arg-type]


def _passage(title: str = "Closest brief", text: str = "Nothing about that.") -> Passage:
    return Passage("briefs/b#0", "briefs/b", title, "2023-01-02", "Wire", text, 0, 0.1, 0.2)


def _tags(html: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z]+)", html)}


def test_render_answer_escapes_script_and_img_in_passages_and_titles() -> None:
    text = f"{PASSAGE} {EVIL}"
    answer = _answer(citations=(_citation(title=f"Title {EVIL}", text=text),))
    html = render.render_answer(answer, "k1")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert _tags(html) <= {"div", "span", "a", "details", "summary", "b", "code", "blockquote",
                           "mark", "br"}  # fmt: skip


def test_render_answer_escapes_answer_text_and_notice() -> None:
    html = render.render_answer(_answer(text=f"{EVIL} [1]", notice=f"LLM {EVIL}"), "k")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert 'class="bq-notice">Note: LLM &lt;script&gt;' in html


def test_render_answer_escapes_closest_passages_on_abstain() -> None:
    answer = _answer(text="The briefs don't say.", abstained=True, citations=(),
                     passages=(_passage(title=EVIL, text=EVIL),))  # fmt: skip
    html = render.render_answer(answer, "k")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert html.count("&lt;script&gt;") == 2


def test_render_highlight_marks_quote_inside_passage() -> None:
    html = render.highlight(PASSAGE, QUOTE)
    assert html == f'Acme signed a deal. <mark class="bq-quote">{QUOTE}</mark> More later.'


def test_render_highlight_escapes_quote_and_surroundings() -> None:
    passage = "<b>x</b> A & B get <i>5</i>. Tail <script>"
    html = render.highlight(passage, "A & B get <i>5</i>.")
    assert html == (
        '&lt;b&gt;x&lt;/b&gt; <mark class="bq-quote">A &amp; B get &lt;i&gt;5&lt;/i&gt;.</mark>'
        " Tail &lt;script&gt;"
    )


def test_render_highlight_without_match_shows_passage_plainly() -> None:
    assert render.highlight("a <b>", "missing") == "a &lt;b&gt;"


def test_render_answer_links_markers_to_their_sources() -> None:
    html = render.render_answer(_answer(text="One [1], unknown [7]."), "abc")
    assert '<a class="bq-marker" href="#bq-abc-s1"' in html
    assert '<details class="bq-source" id="bq-abc-s1">' in html
    assert "unknown [7]" in html  # a marker without a source stays plain text
    assert '<code class="bq-doc-id">briefs/acme</code>' in html
    assert "2024-05-01" in html and "Test Wire" in html


def test_render_answer_checked_answer_is_badged_checked() -> None:
    html = render.render_answer(_answer(), "k")
    assert "Quoted from the sources" in html
    assert "bq-repaired" not in html and "bq-abstained" not in html and "bq-notice" not in html


def test_render_answer_ledger_answer_is_badged_as_the_ledger() -> None:
    html = render.render_answer(replace(_answer(), mode="ledger"), "k")
    assert "From the deal ledger" in html and "Quoted from the sources" not in html


def test_render_answer_abstained_says_so_and_shows_closest_passages() -> None:
    answer = _answer(text="The briefs don't say.", abstained=True, citations=(),
                     passages=(_passage(), _passage(title="Second")))  # fmt: skip
    html = render.render_answer(answer, "k")
    assert "Not in the briefs" in html and "The briefs don&#x27;t say." in html
    assert "Closest passages" in html and html.count("bq-closest") == 2
    assert "Quoted from the sources" not in html and "<mark" not in html


def test_render_answer_abstained_without_passages_says_none_came_close() -> None:
    answer = _answer(text="The briefs don't say.", abstained=True, citations=())
    assert "No passage came close." in render.render_answer(answer, "k")


def test_render_answer_repaired_is_marked_and_notice_shown() -> None:
    answer = _answer(repaired=True, notice="the LLM did not answer (timeout)")
    html = render.render_answer(answer, "k")
    assert 'class="bq-badge bq-repaired"' in html and ">LLM answer set aside<" in html
    assert "Note: the LLM did not answer (timeout)" in html


def test_render_output_has_no_newlines() -> None:
    # The chat renders Markdown: a blank line would end the raw HTML block.
    answer = _answer(citations=(_citation(text=f"Line one.\n\n{QUOTE}\n\nEnd."),))
    html = render.render_answer(answer, "k")
    assert "\n" not in html and "<br><br>" in html
    assert "\n" not in render.render_draft("a\n\nb")


def test_render_draft_is_labelled_unchecked_and_escaped() -> None:
    html = render.render_draft(f"USD 99 million {EVIL}")
    assert "Draft, not yet checked" in html and "USD 99 million" in html
    assert "<script" not in html and "&lt;script&gt;" in html


def test_render_documents_escapes_titles() -> None:
    docs = [DocState("uploads/evil", "h", 2, EVIL, "2024-01-01")]
    html = render.render_documents(docs)
    assert "<script" not in html and "<img" not in html and "&lt;img" in html
    assert "1 briefs, 2 chunks" in html
    assert "empty" in render.render_documents([])


def test_render_upload_result_lists_rejected_with_reasons() -> None:
    result = UploadResult(added=["uploads/a"], rejected=[{"path": EVIL, "reason": "empty file"}])
    html = render.render_upload_result(result)
    assert "uploads/a" in html and "empty file" in html
    assert "<script" not in html and "&lt;script&gt;" in html


def test_render_error_and_question_are_escaped() -> None:
    assert "<script" not in render.render_error(EVIL)
    assert "<script" not in render.render_question(EVIL)
