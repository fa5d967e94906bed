"""Find the quantities a text states (amounts, percentages, years, counts) and compare them.

"RMB 200 million", "RMB200m", "200 million yuan" and "RMB 200,000,000" are one quantity:
value 200e6, unit RMB. Digits inside codes (CT053, BX-7, Q3) are names, not quantities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_CURRENCIES = {
    "rmb": "RMB", "cny": "RMB", "yuan": "RMB", "renminbi": "RMB", "¥": "RMB", "￥": "RMB",
    "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD", "dollar": "USD",
    "eur": "EUR", "€": "EUR", "euros": "EUR", "euro": "EUR",
    "hkd": "HKD", "hk$": "HKD",
}  # fmt: skip
CURRENCY_UNITS = frozenset(_CURRENCIES.values())  # the units `find_quantities` gives a sum
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12,
}  # fmt: skip

_PATTERN = re.compile(
    r"(?<![\w.\-/])"  # not the tail of a code (CT053, BX-7) or of another number
    r"(?:(?P<pre>RMB|CNY|USD|US\$|HK\$|HKD|EUR|€|\$|¥|￥)\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|millions?|billions?|trillion|mn|mln|bn|m|b|k)(?![\w]))?"
    r"(?:\s?(?P<post>yuan|renminbi|RMB|USD|HKD|EUR|dollars?|euros?)(?!\w))?"
    r"(?P<pct>\s?%|\s?percent(?!\w))?"
    r"(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number as stated: absolute value, unit ("RMB", "USD", "%", or "") and its text span."""

    value: float
    unit: str
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """A readable normal form, e.g. `RMB 200000000`."""
        number = f"{self.value:.6f}".rstrip("0").rstrip(".")
        return f"{self.unit} {number}".strip()


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in `text`, in order."""
    found = []
    for match in _PATTERN.finditer(text):
        value = float(match["num"].replace(",", ""))
        if match["scale"]:
            value *= _SCALES[match["scale"].lower()]
        if match["pct"]:
            unit = "%"
        else:
            currency = match["pre"] or match["post"] or ""
            unit = _CURRENCIES.get(currency.lower(), currency.upper())
        found.append(Quantity(value, unit, match.group(0).strip(), match.start(), match.end()))
    return found


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Equal values, and units that agree where both texts give one."""
    if abs(a.value - b.value) > 1e-9 * max(abs(a.value), abs(b.value), 1.0):
        return False
    return not (a.unit and b.unit and a.unit != b.unit)


def is_supported(quantity: Quantity, evidence: Iterable[Quantity]) -> bool:
    """Whether some quantity in the evidence states the same thing."""
    return any(same_quantity(quantity, other) for other in evidence)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})\s+)?(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?,?(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)


def find_dates(text: str) -> list[tuple[int, int | None, int | None]]:
    """Calendar dates as (month, day, year), day and year None where not given: "April 2, 2023",
    "2 April 2023", "June 2022". A date is one claim; its day and year are not two numbers that
    may each stand anywhere in a passage."""
    found = []
    for match in _DATE.finditer(text):
        day, year = match["d1"] or match["d2"], match["year"]
        if not day and not year:
            continue  # "May" alone is as often a verb as a month
        month = _MONTHS.index(match["month"].lower()[:3]) + 1
        found.append((month, int(day) if day else None, int(year) if year else None))
    return found


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def written_date(date: str) -> str:
    """An ISO date as a reader writes it: "2023-10-09" -> "9 October 2023", "2024-03" ->
    "March 2024"; anything else as it is."""
    parts = date.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = _MONTH_NAMES[int(parts[1]) - 1]
        day = f"{int(parts[2])} " if len(parts) == 3 and parts[2].isdigit() else ""
        return f"{day}{month} {parts[0]}"
    return date


def date_supported(date: tuple[int, int | None, int | None], evidence: Iterable[str]) -> bool:
    """Whether a passage states the date, at least as precisely as the claim does."""
    month, day, year = date
    return any(
        m == month and (day is None or d == day) and (year is None or y == year)
        for text in evidence
        for m, d, y in find_dates(text)
    )


_SCALE_WORDS = {"k": "thousand", "m": "million", "mn": "million", "mln": "million",
                "b": "billion", "bn": "billion"}  # fmt: skip
_MONTH_WORD = re.compile(r"([a-z]+)\.?", re.IGNORECASE)  # "Sept." as written
# a date in digits: year first ("2021-09-14", "2021/9/14") or last ("14/9/2021", "9/14/2021")
_DIGIT_DATE = re.compile(
    r"(?<![\w./-])(?:(?P<y1>(?:19|20)\d\d)[-/.](?P<a1>\d{1,2})[-/.](?P<b1>\d{1,2})"
    r"|(?P<a2>\d{1,2})/(?P<b2>\d{1,2})/(?P<y2>(?:19|20)\d\d))(?![\w./-])"
)


def in_words(text: str) -> str:
    """`text` with its dates and sums as briefs write them, so that they match the briefs'
    words: a sum's abbreviated scale in full ("US$62.5m" -> "US$62.5 million"; a bare "62.5m"
    may be metres and is left), an abbreviated month in full where a day or year dates it
    ("Sept 2021" -> "September 2021"; "Jan" alone may be a name), and a date in digits in
    words ("2021-09-14", "9/14/2021" -> "September 14, 2021"). A date in digits whose day and
    month could be either way round ("3/4/2021") is left as it is: either reading may be wrong.
    A month is written in the case of the user's own words: a capital would take a question
    typed in lower case for one whose user capitalises names."""
    lower = not any(c.isupper() for c in text[1:])
    edits = [*_scale_edits(text), *_month_edits(text), *_digit_date_edits(text, lower)]
    for start, end, words in sorted(edits, reverse=True):
        text = text[:start] + words + text[end:]
    return text


def _scale_edits(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _PATTERN.finditer(text):
        scale = (match["scale"] or "").lower()
        if scale in _SCALE_WORDS and (match["pre"] or match["post"]) and not match["pct"]:
            yield match.end("num"), match.end("scale"), f" {_SCALE_WORDS[scale]}"


def _month_edits(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _DATE.finditer(text):
        if not (match["d1"] or match["d2"] or match["year"]):
            continue
        start = match.start("month")
        written = _MONTH_WORD.match(text, start)
        if written is None:
            continue
        word, full = written[1], _MONTH_NAMES[_MONTHS.index(match["month"].lower())]
        # "Sept", not "September" or "Mayor"
        if len(word) < len(full) and full.lower().startswith(word.lower()):
            # in the case it is written in: "SEPT", "Sept", "sept"
            upper, capital = word.isupper(), word[:1].isupper()
            yield start, written.end(), full.upper() if upper else full if capital else full.lower()


def _month_name(month: int, lower: bool) -> str:
    name = _MONTH_NAMES[month - 1]
    return name.lower() if lower else name


def _digit_date_edits(text: str, lower: bool) -> Iterator[tuple[int, int, str]]:
    for match in _DIGIT_DATE.finditer(text):
        a, b = int(match["a1"] or match["a2"]), int(match["b1"] or match["b2"])
        if match["y1"] or b > 12 >= a:
            month, day = a, b  # year first is ISO's order
        elif a > 12 >= b:
            month, day = b, a
        else:
            continue
        if 1 <= month <= 12 and 1 <= day <= 31:
            written = f"{_month_name(month, lower)} {day}, {match['y1'] or match['y2']}"
            yield match.start(), match.end(), written
