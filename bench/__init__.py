"""Benchmarks for briefqa: `python -m bench [ingest]` (see `bench.ingest_bench`)."""
