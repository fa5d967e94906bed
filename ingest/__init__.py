"""Ingestion: load briefs from a folder, chunk them, embed them and keep Chroma in step."""
