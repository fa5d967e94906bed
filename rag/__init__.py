"""Retrieval and answering core of briefqa: settings, store, models and the pipeline.

This package imports none of `ingest`, `ui` or `eval`; they import it.
"""
