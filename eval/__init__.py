"""Batch evaluation against gold question/answer pairs: runner, metrics and reports."""
