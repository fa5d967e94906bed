"""One process serving the page and the API: `create_server_app(pipeline)` and `serve(...)`."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import sys
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI

from rag.errors import BriefqaError
from ui.api import build_api
from ui.page import PAGE_CSS, PAGE_HEAD, build_app, page_theme
from ui.service import BriefService


def create_server_app(pipeline: Any) -> FastAPI:
    """The API at `/api`, the Gradio page at `/` (behind a login when a token is set)."""
    service = BriefService.of(pipeline)
    settings = pipeline.settings
    app = build_api(pipeline, service)
    blocks = build_app(pipeline, service)
    token = settings.api_token
    auth = None
    if token:

        def auth(username: str, password: str) -> bool:
            return secrets.compare_digest(password.encode(), token.encode())

    gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        auth=auth,
        auth_message="Log in with any user name and the server's API token as the password.",
        footer_links=["api", "settings"],
        run_history=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        # Our own limit (with a reason in the page) is max_upload_mb; this one only stops abuse.
        max_file_size=int(settings.max_upload_mb * 1e6 * 4) + 1,
        theme=page_theme(),
        css=PAGE_CSS,
        head=PAGE_HEAD,
    )
    return app


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0 picks a free one); `BriefqaError` if refused."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:  # a host name such as localhost
        family = socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise BriefqaError(
            f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port or stop "
            "the process using it"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def local_url(host: str, port: int) -> str:
    """The URL to open in a browser on this machine."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(pipeline: Any, host: str | None = None, port: int | None = None) -> None:
    """Serve page and API until interrupted (Ctrl+C); None means the configured host/port."""
    settings = pipeline.settings
    host = host or settings.host
    port = settings.port if port is None else port
    service = BriefService.of(pipeline)
    print("loading models…", flush=True)
    service.warm_up()
    app = create_server_app(pipeline)
    sock = bind(host, port)
    url = local_url(host, sock.getsockname()[1])
    print(f"briefqa is serving the page at {url} (API: {url}api, docs: {url}docs)", flush=True)
    if not settings.api_token and not ipaddress.ip_address(_ip(host)).is_loopback:
        print(
            f"warning: {host} is reachable from other machines and no API token is set "
            "(BRIEFQA_API_TOKEN)",
            file=sys.stderr,
            flush=True,
        )
    print("press Ctrl+C to stop", flush=True)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl+C it handled: the normal way out
        pass
    finally:
        sock.close()
    print("briefqa stopped", flush=True)


def _ip(host: str) -> str:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return socket.gethostbyname(host)
