"""A larger corpus for benchmarks: the real briefs plus deterministic variants of the Markdown ones.

`make_scaled_corpus` copies a corpus and writes `variants/<stem>-vNNN.md` files until the copy
holds about `target_chunks` chunks, counted with the real splitter (so sizes follow the embedder's
tokenizer and the configured chunk size). A variant renames the brief's companies (a syllable
suffix on each company's distinctive first word), gives its drug codes new digits and scales its
figures by a seeded random factor; dates and years are kept. Same inputs, same files, every time.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from llama_index.core.node_parser import SentenceSplitter

from bench.corpus import load_briefs
from ingest.chunking import chunk_brief
from ingest.loaders import Brief, load_brief

VARIANTS_DIR = "variants"
_SYLLABLES = ("ra", "no", "vi", "ka", "lu", "te", "mo", "si", "da", "fe")
_CODE = r"\b[A-Z]{2,5}-?\d{3,5}\b"  # KGT-118, TMC0917; not CD19 or GLP-1 (targets, not drugs)
_NUMBER = r"(?<![\w.\-/])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![A-Za-z\d])"
_BODY_TOKEN = re.compile(f"(?P<code>{_CODE})|(?P<num>{_NUMBER})")
_FRONT_MATTER = re.compile(r"\A(---[ \t]*\n.*?\n---[ \t]*\n)(.*)\Z", re.S)
_MONTH_BEFORE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? $")


def make_scaled_corpus(
    src: Path,
    dst: Path,
    target_chunks: int,
    *,
    splitter: SentenceSplitter,
    max_bytes: int = 5_000_000,
    seed: int = 0,
) -> int:
    """Copy `src` to `dst` and add Markdown variants until about `target_chunks` chunks.

    Returns the number of chunks the new corpus holds (the first count at or above the target,
    or the copy's own count when that is already enough). `splitter` must be the one ingest uses
    (`make_splitter(size, overlap, token_counter(embedder))`), or the count is only a guess.
    `dst` must not exist or be empty: variants already there would be counted and copied from.
    """
    if dst.exists() and any(dst.iterdir()):
        raise FileExistsError(f"{dst} is not empty; give make_scaled_corpus a new folder")
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".*"), dirs_exist_ok=True)
    originals = load_briefs(dst, max_bytes)  # as ingest will see them
    total = sum(_chunk_count(brief, splitter) for brief in originals)
    sources = sorted(
        (b for b in originals if b.path.lower().endswith((".md", ".markdown"))),
        key=lambda b: b.doc_id,
    )
    if total >= target_chunks:
        return total
    if not sources:
        raise ValueError(f"{src} holds no Markdown briefs to make variants of")
    out_dir = dst / VARIANTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    round_no = 0
    while total < target_chunks:
        round_no += 1
        for brief in sources:
            raw = (dst / brief.path).read_text(encoding="utf-8-sig")
            rng = random.Random(f"{seed}:{brief.doc_id}:{round_no}")
            text = make_variant(raw, brief.companies, round_no, rng)
            path = out_dir / f"{Path(brief.path).stem}-v{round_no:03d}.md"
            path.write_text(text, encoding="utf-8")
            total += _chunk_count(load_brief(path, dst, max_bytes), splitter)
            if total >= target_chunks:
                break
    return total


def make_variant(raw: str, companies: tuple[str, ...], index: int, rng: random.Random) -> str:
    """One variant of a Markdown brief (front matter included); `index` picks the name suffix."""
    suffix = _suffix(index)
    for word in sorted({c.split()[0] for c in companies if c.split()}, key=len, reverse=True):
        if len(word) >= 4:  # a distinctive name, not "AB" or "The"
            raw = re.sub(rf"\b{re.escape(word)}\b", word + suffix, raw)
    codes: dict[str, str] = {}

    def new_code(code: str) -> str:
        if code not in codes:
            head = code.rstrip("0123456789")
            digits = "".join(rng.choice("0123456789") for _ in code[len(head) :])
            codes[code] = head + digits
        return codes[code]

    match = _FRONT_MATTER.match(raw)
    front, body = (match.group(1), match.group(2)) if match else ("", raw)
    front = re.sub(_CODE, lambda m: new_code(m.group(0)), front)

    def replace(m: re.Match[str]) -> str:
        if m.group("code"):
            return new_code(m.group("code"))
        before = body[max(0, m.start() - 12) : m.start()]
        after = body[m.end() : m.end() + 1]
        return _perturb(m.group("num"), rng, before, after)

    return front + _BODY_TOKEN.sub(replace, body)


def _perturb(figure: str, rng: random.Random, before: str, after: str) -> str:
    """Scale a figure by 0.85-1.15, same format; years and day-of-month numbers are kept."""
    plain = figure.replace(",", "")
    is_int = "." not in plain
    if is_int and (len(plain) == 4 and plain[:2] in ("19", "20") or _MONTH_BEFORE.search(before)):
        return figure
    decimals = 0 if is_int else len(plain.split(".")[1])
    value = float(plain) * rng.uniform(0.85, 1.15)
    if after == "%":
        value = min(value, 100.0)
    if is_int and float(plain) >= 1:
        value = max(value, 1.0)
    return f"{value:,.{decimals}f}" if "," in figure else f"{value:.{decimals}f}"


def _suffix(index: int) -> str:
    """Two or more syllables spelling `index` in base 10: 1 -> 'rano', 12 -> 'novi'."""
    digits = f"{index:02d}"
    return "".join(_SYLLABLES[int(d)] for d in digits)


def _chunk_count(brief: Brief, splitter: SentenceSplitter) -> int:
    return len(chunk_brief(brief, splitter, doc_hash=""))
