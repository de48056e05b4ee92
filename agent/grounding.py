"""Is a value said in the query? Shared by the data-generation filters (a generated call must
take its values from the request) and the planner (a call none of whose values the request says
is usually a distractor tool the model added)."""

from __future__ import annotations

import datetime
import re
from typing import Any

_STOP = {"the", "a", "an", "of", "to", "in", "for", "and", "or", "on", "at", "by", "with", "is"}


def tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric words, without a few stop words."""
    return [t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in _STOP]


def grounded(value: Any, query: str, *, share: float = 0.5) -> bool:
    """Whether a parameter value is said in the query: a number's digits appear, or at least
    ``share`` of a string's words do (dates and paraphrases keep most of their words).

    Example:
        >>> grounded("New York", "Weather in new york tomorrow"), grounded(42, "Top 42 songs")
        (True, True)
        >>> grounded("Paris", "Weather in Oslo")
        False
    """
    if isinstance(value, bool) or value is None:
        return True  # flags are implied by wording, not quoted
    words = set(tokens(query))
    if isinstance(value, int | float):
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text in query or all(t in words for t in tokens(text))
    if isinstance(value, list):
        return all(grounded(v, query, share=share) for v in value)
    if isinstance(value, dict):
        return all(grounded(v, query, share=share) for v in value.values())
    toks = tokens(str(value))
    if not toks:
        return True
    return sum(t in words for t in toks) / len(toks) >= share


_NUMBER = re.compile(
    r"(?<![\w.:/])(?<!\d-)(?P<neg>(?<![\w-])-)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:st|nd|rd|th)?"
    r"(?![\w:/]|-\d|\.\d|,\d{3})"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|k|m|bn)\b)?(?P<pct>\s?(?:%|percent\b))?",
    re.IGNORECASE,
)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
_SCALES["trillion"] = 1e12
_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
} | {"dozen": 12, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100}
_WORDS |= {
    w: i
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
        ],
        start=1,
    )
}


def _plain(x: float) -> int | float:
    """An integral value as an int; float noise from scaling trimmed (15 significant digits)."""
    return int(x) if float(x).is_integer() else float(f"{x:.15g}")


def _written(text: str) -> int | float:
    """A number as the query writes it: ``1,500`` is 1500, ``38.0`` stays a float (38.0, not
    38) and every written digit is kept (``0.7372920019796602``)."""
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def _number_forms(m: re.Match[str]) -> list[int | float]:
    """The values a :data:`_NUMBER` match may stand for: as written (:func:`_written`),
    negated after a minus, scaled (``213 million``), as a fraction (``10%``)."""
    value = _written(m["num"])
    forms = [value, -value] if m["neg"] else [value]
    if m["scale"]:
        forms.append(_plain(value * _SCALES[m["scale"].lower()]))
    if m["pct"]:
        forms.append(_plain(value / 100))
    return forms


def query_numbers(query: str) -> list[int | float]:
    """The numbers a query states, in order and without repeats, as a parameter would take
    them: ``1,500`` is 1500, ``213 million`` is also 213000000, ``10%`` is also 0.1, number
    words up to twelve (and ``dozen``), ordinals (``64th``, ``third``) and a leading minus
    count. Digits inside dates, times, codes and words (``2025-03-14``, ``20:00``, ``A320``)
    are not numbers; ``30-minute`` is 30.

    Example:
        >>> query_numbers("Reserve Luigi's for two at 20:00 on 2025-03-14")
        [2]
        >>> query_numbers("Population 213 million, growth 1.5% and $1,200")
        [213, 213000000, 1.5, 0.015, 1200]
        >>> query_numbers("A 30-minute ride on the 64th sol at -5 degrees, flight A320")
        [30, 64, 5, -5]
    """
    out: list[int | float] = []

    def add(x: int | float) -> None:
        if x not in out:
            out.append(x)

    spans: list[tuple[int, int | float]] = []
    for m in _NUMBER.finditer(query):
        spans += [(m.start(), value) for value in _number_forms(m)]
    for m in re.finditer(r"\b[a-z]+\b", query.lower()):
        if m[0] in _WORDS:
            spans.append((m.start(), _WORDS[m[0]]))
    for _, value in sorted(spans, key=lambda s: s[0]):
        add(value)
    return out


def mentioned(value: Any, query: str) -> bool:
    """Whether ``value`` (an enum member, say) is said in the query as a word, case aside.

    Example:
        >>> mentioned("fahrenheit", "Weather in Tokyo in Fahrenheit"), mentioned("c", "Cairo")
        (True, False)
    """
    text = str(value).strip()
    return bool(text) and (
        re.search(rf"(?<!\w){re.escape(text)}(?!\w)", query, re.IGNORECASE) is not None
    )


_EDGE = "\"'`()[]{}<>,.;:!?$"
"""Punctuation a word of the query sheds at its edges (``'thank`` -> ``thank``, ``$19.5`` ->
``19.5``); inside a word it stays (``bob@example.com``, ``2025-03-14``)."""


QUOTES = "'\"`\u2018\u2019\u201c\u201d"
"""Quotation marks: a separator holding one ends a quoted span or starts one."""

_QUOTED = re.compile(
    r"(?<!\w)(['\"`\u2018\u201c])(?P<text>\S(?:.*?\S)??)(?:\1|[\u2019\u201d])(?!\w)"
)


def query_quotes(query: str) -> list[str]:
    """What the query puts in quotation marks, in order and without repeats, punctuation and
    all: a value the user delimited themselves.

    Example:
        >>> query_quotes("Translate 'Hello, how are you?' and \u201cDon't go\u201d; it's fine")
        ['Hello, how are you?', "Don't go"]
    """
    return list(dict.fromkeys(m["text"] for m in _QUOTED.finditer(query)))


_POSSESSIVE = re.compile(r"(?<=\S)['\u2019]s?$")


def word_forms(word: str) -> list[str]:
    """The forms a value may write a query word in: as written, lower-cased, capitalised, and
    each of those without a possessive (``Smith's`` -> ``Smith``): a parameter names the
    owner, not the possession. Plurals keep their ending: offered ``meter`` beside ``meters``,
    the planner wrote ``"unit": "meter"`` (experiments/2026-11-24-word-forms.md).

    Example:
        >>> word_forms("Smith's")
        ['Smith', 'smith', "Smith's", "smith's"]
    """
    base = _POSSESSIVE.sub("", word)
    forms = [f for b in (base, word) for f in (b, b.lower(), b[:1].upper() + b[1:])]
    return list(dict.fromkeys(forms))


def _query_word_matches(query: str) -> list[tuple[str, str]]:
    """Each word of the query (its edge punctuation shed, :data:`_EDGE`) with the text between
    it and the word before (``""`` for the first)."""
    out: list[tuple[str, str]] = []
    end = None
    for m in re.finditer(r"\S+", query):
        raw = m[0]
        start = m.start() + len(raw) - len(raw.lstrip(_EDGE))
        stop = m.end() - (len(raw) - len(raw.rstrip(_EDGE)))
        if start >= stop:
            continue
        out.append((query[start:stop], query[end:start] if end is not None else ""))
        end = stop
    return out


def query_words(query: str) -> tuple[list[str], list[str]]:
    """The query's words, in order, and the separators between consecutive ones, without
    repeats: what a string value grounded in the query is made of. A separator that holds a
    quotation mark is left out: a value does not run across the edge of a quoted span
    (:func:`query_quotes` gives the quoted spans whole).

    Example:
        >>> query_words("Email bob@example.com, subject 'Lunch' today.")
        (['Email', 'bob@example.com', 'subject', 'Lunch', 'today'], [' ', ', '])
    """
    matches = _query_word_matches(query)
    seps = [s for _, s in matches if s and not any(q in s for q in QUOTES)]
    return [w for w, _ in matches], list(dict.fromkeys(seps))


def query_runs(query: str) -> list[list[tuple[str, str]]]:
    """The query's words in runs that a value may span: each word with the separator before
    it (``""`` at a run's start). A run ends where a separator holds a quotation mark: a value
    does not run across the edge of a quoted span (:func:`query_quotes` gives those whole).

    Example:
        >>> query_runs("Email bob@example.com, subject 'Lunch' today.")
        [[('Email', ''), ('bob@example.com', ' '), ('subject', ', ')], [('Lunch', '')], [('today', '')]]
    """
    runs: list[list[tuple[str, str]]] = []
    for word, sep in _query_word_matches(query):
        if not runs or not sep or any(q in sep for q in QUOTES):
            runs.append([(word, "")])
        else:
            runs[-1].append((word, sep))
    return runs


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DATES = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b"),
]


def query_dates(query: str) -> list[str]:
    """The calendar dates a query writes out, as ISO dates (``2022-05-01``), in order and
    without repeats: ``May 1st, 2022``, ``1 May 2022``, ``the 1st of May, 2022``, ``5/1/2022``
    (month first, unless the first number cannot be a month: ``31/12/2023``). A date already
    written in ISO form is one of the query's words.

    Example:
        >>> query_dates("From January 19, 2020, to the 24th of Aug 2022 (not 31/31/2022)")
        ['2020-01-19', '2022-08-24']
        >>> query_dates("From 01/02/2023 to 31/12/2023")
        ['2023-01-02', '2023-12-31']
    """
    found: list[tuple[int, str]] = []
    for pattern in _DATES:
        for m in pattern.finditer(query):
            month = m["month"]
            month_no = int(month) if month.isdigit() else _MONTHS[month.lower()]
            try:
                day = datetime.date(int(m["year"]), month_no, int(m["day"]))
            except ValueError:
                if not month.isdigit() or month_no <= 12:
                    continue
                try:  # 31/12/2023: no month 31, so day first
                    day = datetime.date(int(m["year"]), int(m["day"]), month_no)
                except ValueError:
                    continue
            found.append((m.start(), day.isoformat()))
    return list(dict.fromkeys(iso for _, iso in sorted(found)))


def _date_matches(query: str) -> list[tuple[re.Match[str], str]]:
    """Each date the query writes (:data:`_DATES`, or in ISO form) with its ISO form, pattern
    by pattern."""
    out = []
    for pattern in (*_DATES, _ISO_DATE):
        for m in pattern.finditer(query):
            iso = query_dates(m[0]) or ([m[0]] if pattern is _ISO_DATE else [])
            if iso:
                out.append((m, iso[0]))
    return out


def date_forms(query: str) -> tuple[list[str], list[str]]:
    """The dates a query states, as values may take them: ``(iso, written)``, the ISO form of
    each (those it writes out, :func:`query_dates`, and those it writes in ISO form) and each as
    the query writes it, both in the query's order and without repeats.

    Example:
        >>> date_forms("Born on June 15, 2021, due 2021-03-20, seen 2019 (a year)")
        (['2021-06-15', '2021-03-20'], ['June 15, 2021', '2021-03-20'])
    """
    found = sorted((m.start(), iso, m[0]) for m, iso in _date_matches(query))
    return (
        list(dict.fromkeys(iso for _, iso, _ in found)),
        list(dict.fromkeys(text for _, _, text in found)),
    )


_ORDINAL_OR_COMPOUND = re.compile(r"(?:st|nd|rd|th)\b|-[A-Za-z]", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://[^\s\"'<>]*[^\s\"'<>.,;:!?)]")


def stated_values(query: str) -> list[tuple[int | float | str, ...]]:
    """The values a query writes in a form that can only mean a value, each as the forms a
    parameter may take it in: numbers written in digits (``1,500``; ``213 million`` also as
    213000000, ``10%`` also as 0.1; not number words, ordinals or the number of a compound,
    which are mostly prose or part of another value: "first", "one of", "the 10th",
    "a 1-year timeframe"), dates (ISO; the digits inside a date are not numbers of their own),
    quoted spans, e-mail addresses and URLs. A plan that uses none of one of them has usually
    left a request out (:func:`toolrag.agent.plan.unused_values`).

    Example:
        >>> stated_values("First, send 'hi' to bob@x.org by May 1, 2025 and 2 dozen 10% off")
        [('hi',), ('bob@x.org',), ('2025-05-01',), (2,), (10, 0.1)]
    """
    found: list[tuple[int, tuple[int | float | str, ...]]] = []
    taken: list[tuple[int, int]] = []  # spans of dates, addresses and quotes

    def free(m: re.Match[str]) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    for m in _QUOTED.finditer(query):
        found.append((m.start(), (m["text"],)))
        taken.append(m.span())
    for m in _ADDRESS.finditer(query):
        if free(m):
            found.append((m.start(), (m[0],)))
            taken.append(m.span())
    for m, iso in _date_matches(query):
        if free(m):
            found.append((m.start(), (iso,)))
            taken.append(m.span())
    for m in _NUMBER.finditer(query):
        if not free(m) or _ORDINAL_OR_COMPOUND.match(query, m.end("num")):
            continue
        found.append((m.start(), tuple(_number_forms(m))))
    out: list[tuple[int | float | str, ...]] = []
    for _, forms in sorted(found, key=lambda f: f[0]):
        if forms not in out:
            out.append(forms)
    return out


def states(value: Any, query: str) -> bool:
    """Whether ``query`` states ``value`` itself: a number among the numbers it writes
    (:func:`stated_values`, or a number word), not only as a digit inside a date; a date one of
    its dates (ISO); any other string at least half of its words, each as the query writes it
    or with the same first five letters (``"active engagement"`` for "actively engaged",
    ``"televisons"``), or, when made only of digits, as a number. Other values (flags, lists,
    objects) count as stated.

    Example:
        >>> q = "Create project Nexus starting October 1, 2022 with two members"
        >>> [states(v, q) for v in (1, "1", 2, "2022-10-01", "Nexus", "Zeta Station", True)]
        [False, False, True, True, True, False, True]
    """
    if isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return True
    if isinstance(value, str):
        stems = {t[:5] for t in tokens(query)}
        words = tokens(value)
        said = sum(t[:5] in stems for t in words)
        return value in date_forms(query)[0] or not words or said / len(words) >= 0.5
    undated = query
    for m, _ in _date_matches(query):
        undated = undated[: m.start()] + " " * (m.end() - m.start()) + undated[m.end() :]
    numbers = {x for forms in stated_values(query) for x in forms if not isinstance(x, str)}
    return value in numbers or value in query_numbers(undated)


def context_words(query: str, value: int | float, width: int = 2) -> set[str]:
    """The words (:func:`tokens`) within ``width`` words of where ``query`` writes the number
    ``value`` in digits: what the number counts or measures ("2 large pizzas": ``large``,
    ``pizzas``).

    Example:
        >>> sorted(context_words("Order 2 large pizzas with olives", 2))
        ['large', 'order', 'pizzas']
    """
    words = [(m.start(), m.end(), m[0]) for m in re.finditer(r"[^\s]+", query)]
    out: set[str] = set()
    for m in _NUMBER.finditer(query):
        if _written(m["num"]) != value:
            continue
        at = [k for k, (a, b, _) in enumerate(words) if a <= m.start("num") < b]
        for k in at:
            for _, _, w in words[max(0, k - width) : k + width + 1]:
                out.update(t for t in tokens(w) if not t.replace(".", "").isdigit())
    return out


_AND_OR = re.compile(r"\b(?:and|or)\b", re.IGNORECASE)
"""A list separator holding one of these ends the list with the item after it."""
_LIST_SEP = re.compile(r",\s+(?:and|or)\s+|,\s+|\s+(?:and|or)\s+", re.IGNORECASE)
_LIST_WORD = r"[\w@+/&-]+(?:['.][\w@+/&-]+)*"
_LIST_ITEM = re.compile(
    rf"{_LIST_WORD}(?:\s+(?!(?:and|or|in|on|at|to|from|by|for|with|into|about|near|during)\b)"
    rf"{_LIST_WORD}){{0,2}}",
    re.IGNORECASE,
)
_LIST_END = re.compile(r"\s*(?:[.,;:!?)]|$)|['\"](?=[\s.,;:!?)]|$)")
_NOT_AN_ITEM = frozenset(
    re.findall(
        r"\w+",
        "including such like which who that with for in on at to from by of as where when "
        "while if i we you it please then also the a an my our your their its is are was were be",
    )
)


_QUOTED_SEP = re.compile(
    r"(?P<close>['\"\u2019\u201d])(?P<sep>,\s+(?:and|or)\s+|,\s+|\s+(?:and|or)\s+)"
    r"(?P<open>['\"\u2018\u201c])(?P<item>[^'\"\u2018\u2019\u201c\u201d]{1,80}?)"
    r"['\"\u2019\u201d](?!\w)",
    re.IGNORECASE,
)


def _quoted_list(query: str, m: re.Match[str]) -> list[str]:
    """The quoted items of a list (``"user1" and "user2"``) whose first item is all of the
    quoted span ``m``; ``[]`` if ``m`` is not quoted whole or starts no such list."""
    if m.start() == 0 or query[m.start() - 1] not in QUOTES:
        return []
    items, pos = [m[0]], m.end()
    while sep := _QUOTED_SEP.match(query, pos):
        items.append(sep["item"])
        pos = sep.end()
        if _AND_OR.search(sep["sep"]):
            break
    return items if len(items) > 1 else []


def coordination(query: str, value: str) -> list[str]:
    """The items of the list the query writes starting with ``value`` ("fever, cough, and sore
    throat", "user1 and user2"), as written; ``[]`` when ``value`` starts none.

    An item is one to three words; it does not start with a function word ("dolphins,
    including their habitat" is no list) or hold a preposition other than "of" ("loss of
    appetite" is an item, "soybeans in Asia" is "soybeans" and what follows the list). A list ends with an item after ", and" / ", or"; one
    that ends otherwise must end the clause there (".", ",", ";", ")", a closing quote, ...),
    and an item after a bare "and" is the shortest that does: "ann@x.org and bob@x.org, ..."
    is a list, "climate change and I need ..." is not. Quoted items (``"a", "b" and "c"``) are
    taken whole, whatever they hold.

    Example:
        >>> coordination("Check fever, cough, and sore throat and advise.", "fever")
        ['fever', 'cough', 'sore throat']
        >>> coordination("Mail ann@x.org and bob@x.org, subject 'Hi'", "ann@x.org")
        ['ann@x.org', 'bob@x.org']
        >>> coordination("Study climate change and I need sources.", "climate change")
        []
        >>> coordination('Invite "user1" and "user 2" to it', "user1")
        ['user1', 'user 2']
    """
    for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", query, re.IGNORECASE):
        quoted = _quoted_list(query, m)
        if quoted:
            return quoted
        items, pos, closed = [m[0]], m.end(), False
        while sep := _LIST_SEP.match(query, pos):
            item = _LIST_ITEM.match(query, sep.end())
            if item is None or item[0].split()[0].lower() in _NOT_AN_ITEM:
                break
            text = item[0]
            if "," not in sep[0]:  # a bare "and": the shortest item that ends the clause
                words = text.split()
                ends = [
                    k
                    for k in range(1, len(words) + 1)
                    if _LIST_END.match(query, sep.end() + len(" ".join(words[:k])))
                ]
                text = " ".join(words[: ends[0]]) if ends else ""
            if not text:
                break
            items.append(text)
            pos = sep.end() + len(text)
            if _AND_OR.search(sep[0]):
                closed = True
                break
        if len(items) > 1 and (closed or _LIST_END.match(query, pos)):
            return items
    return []
