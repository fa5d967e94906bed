"""A question put as a request is read as the question it wraps (real spaCy)."""

from __future__ import annotations

from rag.reading.requests import unwrapped


def test_requests_a_request_is_read_as_the_question_it_wraps() -> None:
    assert unwrapped("Can you tell me which Orion unit is buying the Kestrel shares?") == (
        "Which Orion unit is buying the Kestrel shares?"
    )
    assert unwrapped("Please give me the upfront for OR-9") == "The upfront for OR-9"
    assert unwrapped("I'd like to know who runs Kestrel Bio.") == "Who runs Kestrel Bio."
    assert unwrapped("Do you know when Orion filed?") == "When Orion filed?"
    assert unwrapped("Please tell me: what did Orion pay?") == "What did Orion pay?"
    assert unwrapped("Show me, please, the HER2 drugs") == "The HER2 drugs"
    # it opens as the request did: a question typed in lower case stays so
    assert unwrapped("can you tell me kestrel upfrnt px") == "kestrel upfrnt px"


def test_requests_a_question_about_telling_or_giving_is_left_as_it_is() -> None:
    for question in (
        "What did the FDA tell Orion?",  # the telling is what is asked about
        "Did Orion give Kestrel an upfront?",
        "How did Kestrel show its data?",
        "Which products have been approved by the NMPA?",
        "List the approvals in 2024",  # a list asked for: the ledger reads "list"
        "Can you tell me?",  # nothing wrapped
    ):
        assert unwrapped(question) == question
