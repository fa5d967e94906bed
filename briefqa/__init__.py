"""The `briefqa` command line: the composition root that wires ingest, rag, ui and eval."""
