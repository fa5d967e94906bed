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


def test_requests_greetings_and_thanks_around_a_question_are_no_part_of_it() -> None:
    # a capitalised "Thanks" was read as a name no brief mentions, and the question declined
    assert unwrapped("What upfront will Orion pay for OR-9? Thanks!") == (
        "What upfront will Orion pay for OR-9?"
    )
    assert unwrapped("Hi team, what did Kestrel raise? Thank you.") == "What did Kestrel raise?"
    assert unwrapped("Hello, can you tell me who runs Kestrel? Thanks in advance") == (
        "Who runs Kestrel?"
    )
    assert unwrapped("hi all, kestrel upfront?") == "kestrel upfront?"
    for question in ("Thanks!", "Hi", "Who did Orion thank?"):  # nothing else asked, or a thanking
        assert unwrapped(question) == question


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
