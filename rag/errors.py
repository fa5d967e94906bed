"""The one small error hierarchy of briefqa: every message says what to do next."""


class BriefqaError(Exception):
    """Base class: the CLI prints `error: <message>` and exits 1; the page shows the message."""


class ConfigError(BriefqaError):
    """A setting is invalid or a configured file is missing."""


class StoreUnavailableError(BriefqaError):
    """The Chroma store cannot be opened or reached."""


class StoreBusyError(StoreUnavailableError):
    """Another process owns the embedded store."""


class EmptyIndexError(BriefqaError):
    """The index holds no documents yet."""


class ModelUnavailableError(BriefqaError):
    """A configured model cannot be loaded offline."""


class NoUsableDocumentsError(BriefqaError):
    """An ingest found nothing it could read."""
