"""Loading single files: formats, metadata and the one-line reasons for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.loaders import Brief, SkipFile, doc_id_for, load_brief

MB = 1_000_000


def _load(root: Path, rel: str) -> Brief:
    return load_brief(root / rel, root, 5 * MB)


def test_load_brief_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "briefs" / "2024-03-x.md"
    path.parent.mkdir()
    path.write_text(
        '---\ntitle: "Acme lands deal"\ndate: 2024-03-18\nsource: "Wire"\n'
        'companies: ["Acme Bio", "Beta Pharma"]\ntags: ["ADC"]\n---\n# Acme lands deal\n\n'
        "Acme receives USD 12m upfront.\n",
        encoding="utf-8",
    )
    brief = load_brief(path, tmp_path, 5 * MB)
    assert brief.doc_id == "briefs/2024-03-x"
    assert brief.title == "Acme lands deal"
    assert brief.date == "2024-03-18"
    assert brief.companies == ("Acme Bio", "Beta Pharma")
    assert "---" not in brief.text and "USD 12m upfront" in brief.text


def test_load_brief_text_uses_sidecar_and_first_line(tmp_path: Path) -> None:
    (tmp_path / "2023-01-seed.txt").write_text("Headline here\n\nBody text.", encoding="utf-8")
    brief = _load(tmp_path, "2023-01-seed.txt")
    assert (brief.title, brief.date) == ("Headline here", "2023-01")
    (tmp_path / "2023-01-seed.meta.json").write_text(
        json.dumps({"title": "Real title", "date": "2023-01-03", "source": "Fineline"})
    )
    with_sidecar = _load(tmp_path, "2023-01-seed.txt")
    assert with_sidecar.title == "Real title"
    assert with_sidecar.date == "2023-01-03"
    # Editing the sidecar must re-ingest: it is part of the content hash.
    assert with_sidecar.content_hash != brief.content_hash


def test_load_brief_html_drops_page_furniture(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        "<html><head><title>Beta wins approval</title><meta name='date' content='2024-02-01'>"
        "<meta name='companies' content='Beta Pharma; Gamma Co., Ltd'></head><body>"
        "<nav>Subscribe now</nav><h1>Beta wins approval</h1><p>NMPA approved BX-12.</p>"
        "<script>alert(1)</script><footer>Subscribe</footer></body></html>",
        encoding="utf-8",
    )
    brief = _load(tmp_path, "a.html")
    assert brief.title == "Beta wins approval"
    assert brief.companies == ("Beta Pharma", "Gamma Co., Ltd")
    assert "NMPA approved BX-12." in brief.text
    assert "Subscribe" not in brief.text and "alert" not in brief.text


def test_load_brief_html_table_becomes_one_row_per_line(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text(
        "<html><body><p>Two biotechs reported.</p><table>"
        "<thead><tr><th>Company</th><th>Revenue (RMB m)</th></tr></thead>"
        "<tr><td>Kestrel <b>Bio</b></td><td>412.6</td></tr>"
        "<tr><td>Orion | Pharma</td><td>336.5</td></tr></table><p>Both grew.</p></body></html>",
        encoding="utf-8",
    )
    text = _load(tmp_path, "t.html").text
    assert text == (
        "Two biotechs reported.\n| Company | Revenue (RMB m) |\n|---|---|\n"
        "| Kestrel Bio | 412.6 |\n| Orion / Pharma | 336.5 |\nBoth grew."
    )
    # a table without a header row gets no rule: its first row is data, not a header
    (tmp_path / "u.html").write_text(
        "<table><tr><td>Upfront</td><td>US$800 million</td></tr></table>", encoding="utf-8"
    )
    assert _load(tmp_path, "u.html").text == "| Upfront | US$800 million |"


def test_doc_id_for_is_relative_posix_without_extension(tmp_path: Path) -> None:
    assert doc_id_for(tmp_path / "briefs" / "2021-ct053.txt", tmp_path) == "briefs/2021-ct053"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"   \n\n", "no text content"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type .docx"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nbody", "front matter is not valid YAML"),
    ],
)
def test_load_brief_bad_input_gives_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        _load(tmp_path, name)


def test_load_brief_too_large_names_the_setting(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as out:
        out.write(b"Big brief line with RMB 1 million.\n" * (20 * MB // 35 + 1))
    assert big.stat().st_size >= 20 * MB
    with pytest.raises(SkipFile, match=r"too large \(20\.0 MB.*BRIEFQA_MAX_FILE_MB"):
        _load(tmp_path, "huge.txt")


def test_load_brief_legacy_encoding_is_decoded_and_noted(tmp_path: Path) -> None:
    text = "Café Biotech signs deal — upfront “RMB 8 million” for CX-9 résumé program."
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    brief = _load(tmp_path, "latin.txt")
    assert "RMB 8 million" in brief.text and "Café" in brief.text
    assert any("not UTF-8" in n for n in brief.notes)
