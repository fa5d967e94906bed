"""Read one brief file (.txt, .md, .html, .pdf) into a `Brief`, or say why it cannot be read.

Metadata comes from Markdown front matter, HTML `<meta>` tags, PDF document info, or a sidecar
`<stem>.meta.json` next to the file (for plain text and PDFs); a `YYYY-MM-DD` or `YYYY-MM` prefix
of the file name, else the date of the opening dateline, stands in for a missing date, and the
first line for a missing title.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
SIDECAR_SUFFIX = ".meta.json"
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


class SkipFile(Exception):  # noqa: N818 - a signal, not a failure of the run
    """A file that cannot be ingested; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class Brief:
    """One loaded document: its text and the metadata citations show."""

    doc_id: str
    path: str
    text: str
    title: str
    date: str = ""
    source: str = ""
    companies: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    content_hash: str = ""
    notes: tuple[str, ...] = field(default=())


def doc_id_for(path: Path, root: Path) -> str:
    """A document's id: its path relative to the ingested folder, POSIX style, no extension."""
    return str(PurePosixPath(path.relative_to(root).as_posix()).with_suffix(""))


def sidecar_for(path: Path) -> Path:
    """The optional metadata file beside a brief."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def load_brief(path: Path, root: Path, max_bytes: int) -> Brief:
    """Load and validate one file; raise `SkipFile` with a one-line reason when it is unusable."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkipFile(f"unsupported file type {suffix or '(none)'}; use .txt, .md, .html or .pdf")
    size = path.stat().st_size
    if size == 0:
        raise SkipFile("empty file")
    if size > max_bytes:
        raise SkipFile(
            f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit; "
            "raise BRIEFQA_MAX_FILE_MB to ingest it)"
        )
    data = path.read_bytes()
    sidecar = sidecar_for(path)
    side_bytes = sidecar.read_bytes() if sidecar.is_file() else b""
    meta: dict[str, Any] = _read_sidecar(side_bytes) if side_bytes else {}
    notes: list[str] = []
    if suffix == ".pdf":
        text, pdf_meta = _read_pdf(data)
        meta = {**pdf_meta, **meta}
    else:
        raw = _decode(data, notes)
        if suffix in (".md", ".markdown"):
            text, front = _split_front_matter(raw)
            meta = {**front, **meta}
        elif suffix in (".html", ".htm"):
            text, html_meta = _read_html(raw)
            meta = {**html_meta, **meta}
        else:
            text = raw
    text = text.strip()
    if not text:
        raise SkipFile("no text content" if suffix != ".pdf" else "no extractable text (scanned?)")
    return Brief(
        doc_id=doc_id_for(path, root),
        path=path.relative_to(root).as_posix(),
        text=text,
        title=_clean(meta.get("title")) or _first_line(text),
        date=_iso_date(meta.get("date")) or _date_from_name(path.name) or _dateline(text),
        source=_clean(meta.get("source")),
        companies=_as_tuple(meta.get("companies")),
        tags=_as_tuple(meta.get("tags")),
        content_hash=hashlib.sha256(data + b"\0" + side_bytes).hexdigest(),
        notes=tuple(notes),
    )


def _decode(data: bytes, notes: list[str]) -> str:
    if b"\x00" in data[:8192]:
        raise SkipFile("binary content (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None or best.encoding is None:
            raise SkipFile(
                f"undecodable bytes (not UTF-8 at byte {exc.start}); re-save the file as UTF-8"
            ) from None
        notes.append(f"not UTF-8; decoded as {best.encoding}")
        return str(best)


def _split_front_matter(raw: str) -> tuple[str, dict[str, Any]]:
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        raise SkipFile(f"front matter is not valid YAML ({_one_line(exc)})") from None
    return post.content, dict(post.metadata)


def _read_html(raw: str) -> tuple[str, dict[str, Any]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    meta: dict[str, Any] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or tag.get("property") or "").lower()
        key = {"article:published_time": "date", "keywords": "tags", "og:title": "title"}.get(
            name, name
        )
        if key in ("date", "source", "companies", "tags", "title") and tag.get("content"):
            meta.setdefault(key, str(tag["content"]))
    if soup.title and soup.title.string:
        meta.setdefault("title", soup.title.string)
    # Page furniture is not part of the brief.
    for tag in soup(["script", "style", "nav", "footer", "header", "aside", "noscript", "form"]):
        tag.decompose()
    body = soup.body or soup
    for table in reversed(body.find_all("table")):  # innermost first
        table.replace_with(soup.new_string(f"\n{_table_rows(table)}\n"))
    lines = [line.strip() for line in body.get_text("\n").splitlines()]
    return "\n".join(line for line in lines if line), meta


def _table_rows(table: Any) -> str:
    """An HTML table as markdown rows, one line per row ("| Revenue | 412.6 |"), with a rule
    under a header row (`th` cells or `thead`). Left to `get_text`, every cell became a line
    of its own, and a figure lost the row and column that say what it is."""
    out = []
    for row in table.find_all("tr"):
        cells = row.find_all(["th", "td"])
        if not cells:
            continue
        texts = [" ".join(c.get_text(" ").split()).replace("|", "/") for c in cells]
        out.append(f"| {' | '.join(texts)} |")
        header = row.find_parent("thead") is not None or all(c.name == "th" for c in cells)
        if len(out) == 1 and header:
            out.append("|" + "---|" * len(cells))
    return "\n".join(out)


def _read_pdf(data: bytes) -> tuple[str, dict[str, Any]]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise SkipFile("encrypted PDF; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = info.title if info and info.title else ""
    except SkipFile:
        raise
    except Exception as exc:
        raise SkipFile(f"unreadable PDF ({_one_line(exc)})") from None
    return "\n\n".join(p.strip() for p in pages if p.strip()), {"title": title} if title else {}


def _read_sidecar(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SkipFile(
            f"its {SIDECAR_SUFFIX} sidecar is not valid JSON ({_one_line(exc)})"
        ) from None
    if not isinstance(value, dict):
        raise SkipFile(f"its {SIDECAR_SUFFIX} sidecar must hold a JSON object")
    return value


def _iso_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _clean(value)
    match = _DATE_PREFIX.match(text)
    return _date_from_match(match) if match else ""


def _date_from_name(name: str) -> str:
    match = _DATE_PREFIX.match(name)
    return _date_from_match(match) if match else ""


def _dateline(text: str) -> str:
    """The date of a brief's dateline ("Suzhou, 7 February 2024 - ..."): the first full date in
    its opening lines, for plain text that carries no date field."""
    from rag.numbers import find_dates

    head = "\n".join(text.splitlines()[:4])[:400]
    for month, day, year in find_dates(head):
        if year and day:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def _date_from_match(match: re.Match[str]) -> str:
    year, month, day = match.group(1), match.group(2), match.group(3)
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[Any] = value.split(";") if isinstance(value, str) else value
    return tuple(s for s in (_clean(v) for v in items) if s)


def _clean(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _first_line(text: str) -> str:
    return _clean(text.splitlines()[0].lstrip("# "))[:200]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__
