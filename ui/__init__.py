"""The web page (Gradio) and the HTTP API (FastAPI) of `briefqa serve`, one process.

Modules: `service` (the server's single owner of the pipeline: locking, uploads, deletes),
`render` (pure HTML rendering, everything escaped), `page` (`build_app`), `api` (`build_api`) and
`server` (`create_server_app`, `serve`). Gradio is imported only by `page` and `server`.
"""

import os

# Gradio reports usage to its servers unless told not to; briefqa runs offline.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
