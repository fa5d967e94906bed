"""The web page (Gradio) and the HTTP API (FastAPI) of `briefqa serve`, one process.

Modules: `service` (the server's single owner of the pipeline: locking, uploads, deletes),
`render` (pure HTML rendering, everything escaped), `deals` and `deals_render` (the Deals tab's
rows, chart data and HTML, no Gradio), `page` (`build_app`), `deals_tab` (the Deals tab's
layout and events), `api` (`build_api`) and `server` (`create_server_app`, `serve`). Gradio is
imported only by `page`, `deals_tab` and `server`.
"""

import os

# Gradio reports usage to its servers unless told not to; briefqa runs offline.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
