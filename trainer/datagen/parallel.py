"""Requests that need every one of 2-4 calls: one function for several values (parallel) and
several functions, one per clause (parallel-multiple), offered beside their near-miss
siblings (the ball's volume beside the box's, simple interest beside compound growth), so a
plan that stops after the first clause, or takes the sibling, is wrong.

Requests come terse ("vol ball r=3, box 2x3x4") and verbose, in English and in Spanish,
French or German; values that need knowledge or arithmetic come from :mod:`.knowledge`'s
clauses too ("for 2, 4 and 8 years" is three calls).

Example:
    >>> import random
    >>> ex = parallel_instance(random.Random(0))
    >>> 2 <= len(ex["plan"]) <= 4 and set(c["api"] for c in ex["plan"]) <= set(ex["offered"])
    True
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from toolrag.trainer.datagen.apis import FAMILIES

Clause = tuple[dict[str, str], dict[str, Any]]
"""(the clause by language: ``en``, ``en-terse``, ``es``, ``fr``, ``de``; the arguments)."""


def _n(rng: random.Random, lo: int, hi: int) -> int:
    return rng.randint(lo, hi)


def _box(rng: random.Random) -> Clause:
    a, b, c = _n(rng, 2, 12), _n(rng, 2, 12), _n(rng, 2, 20)
    return {
        "en": f"the volume of a box {a} by {b} by {c}",
        "en-terse": f"box {a}x{b}x{c}",
        "es": f"el volumen de una caja de {a} por {b} por {c}",
        "fr": f"le volume d'une boîte de {a} sur {b} sur {c}",
        "de": f"das Volumen einer Kiste mit {a} mal {b} mal {c}",
    }, {"length": a, "width": b, "height": c}


def _ball(rng: random.Random) -> Clause:
    r = _n(rng, 1, 30)
    return {
        "en": f"the volume of a ball with radius {r}",
        "en-terse": f"ball r={r}",
        "es": f"el volumen de una esfera de radio {r}",
        "fr": f"le volume d'une sphère de rayon {r}",
        "de": f"das Volumen einer Kugel mit Radius {r}",
    }, {"radius": r}


def _tube(rng: random.Random) -> Clause:
    r, h = _n(rng, 1, 10), _n(rng, 2, 40)
    return {
        "en": f"the volume of a cylinder {h} tall with radius {r}",
        "en-terse": f"cylinder r {r} h {h}",
        "es": f"el volumen de un cilindro de radio {r} y altura {h}",
        "fr": f"le volume d'un cylindre de rayon {r} et de hauteur {h}",
        "de": f"das Volumen eines Zylinders mit Radius {r} und Höhe {h}",
    }, {"radius": r, "height": h}


def _surface(rng: random.Random) -> Clause:
    r = _n(rng, 1, 25)
    return {
        "en": f"the surface area of a sphere of radius {r}",
        "en-terse": f"sphere area r={r}",
        "es": f"el área de una esfera de radio {r}",
        "fr": f"l'aire d'une sphère de rayon {r}",
        "de": f"die Oberfläche einer Kugel mit Radius {r}",
    }, {"radius": r}


def _cone(rng: random.Random) -> Clause:
    r, h = _n(rng, 1, 9), _n(rng, 2, 30)
    return {
        "en": f"the volume of a cone with radius {r} and height {h}",
        "en-terse": f"cone {r}/{h}",
        "es": f"el volumen de un cono de radio {r} y altura {h}",
        "fr": f"le volume d'un cône de rayon {r} et de hauteur {h}",
        "de": f"das Volumen eines Kegels mit Radius {r} und Höhe {h}",
    }, {"radius": r, "height": h}


def _rate(rng: random.Random) -> tuple[str, float]:
    p = rng.choice([1.5, 2, 2.5, 3, 3.25, 4, 4.5, 5, 6, 7.5])
    return f"{p:g}%", round(p / 100, 6)


def _simple(rng: random.Random) -> Clause:
    p, (rs, r), y = rng.choice([1000, 2500, 4000, 12000, 750]), _rate(rng), _n(rng, 1, 15)
    return {
        "en": f"the simple interest on {p} at {rs} for {y} years",
        "en-terse": f"simple interest {p} @ {rs}, {y}y",
        "es": f"el interés simple de {p} al {rs} durante {y} años",
        "fr": f"les intérêts simples sur {p} à {rs} pendant {y} ans",
        "de": f"die einfachen Zinsen auf {p} zu {rs} über {y} Jahre",
    }, {"principal": p, "rate": r, "years": y}


def _compound(rng: random.Random) -> Clause:
    p, (rs, r), y = rng.choice([1000, 3000, 8000, 20000]), _rate(rng), _n(rng, 2, 30)
    args: dict[str, Any] = {"principal": p, "rate": r, "years": y}
    monthly = rng.random() < 0.3
    if monthly:
        args["times_per_year"] = 12
    m = " compounded monthly" if monthly else ""
    return {
        "en": f"what {p} grows to at {rs}{m} over {y} years",
        "en-terse": f"compound {p} {rs} {y}y{m}",
        "es": f"cuánto valen {p} al {rs} en {y} años{' con capitalización mensual' if monthly else ''}",
        "fr": f"ce que deviennent {p} à {rs} en {y} ans{' composés chaque mois' if monthly else ''}",
        "de": f"was aus {p} bei {rs} in {y} Jahren wird{' bei monatlicher Verzinsung' if monthly else ''}",
    }, args


def _transfer(rng: random.Random) -> Clause:
    a, b = rng.sample(["checking", "savings", "brokerage"], 2)
    x = rng.choice([200, 500, 1250, 3000, 75])
    return {
        "en": f"move ${x} from my {a} account to {b}",
        "en-terse": f"transfer {x} {a}->{b}",
        "es": f"transfiere {x} de la cuenta {a} a {b}",
        "fr": f"vire {x} du compte {a} vers {b}",
        "de": f"überweise {x} vom Konto {a} auf {b}",
    }, {"from_account": a, "to_account": b, "amount": x}


def _balance(rng: random.Random) -> Clause:
    a = rng.choice(["checking", "savings", "brokerage"])
    return {
        "en": f"my {a} balance",
        "en-terse": f"{a} balance",
        "es": f"el saldo de la cuenta {a}",
        "fr": f"le solde du compte {a}",
        "de": f"den Kontostand von {a}",
    }, {"account": a}


UNITS = {
    "length_convert": [
        ("km", "mi", "kilometres", "miles"),
        ("ft", "m", "feet", "metres"),
        ("in", "m", "inches", "metres"),
        ("mi", "km", "miles", "kilometres"),
    ],
    "weight_convert": [
        ("lb", "kg", "pounds", "kilograms"),
        ("kg", "lb", "kilograms", "pounds"),
        ("oz", "g", "ounces", "grams"),
    ],
    "speed_convert": [
        ("mph", "kmh", "mph", "km/h"),
        ("knots", "kmh", "knots", "km/h"),
        ("kmh", "ms", "km/h", "metres per second"),
    ],
    "volume_convert": [
        ("gal", "l", "gallons", "litres"),
        ("cup", "ml", "cups", "millilitres"),
        ("l", "gal", "litres", "gallons"),
    ],
}


def _convert(name: str) -> Callable[[random.Random], Clause]:
    def clause(rng: random.Random) -> Clause:
        f, t, fw, tw = rng.choice(UNITS[name])
        v = rng.choice([3, 12, 26.2, 100, 5.5, 40, 0.75])
        return {
            "en": f"{v} {fw} in {tw}",
            "en-terse": f"{v}{f} to {t}",
            "es": f"{v} {fw} en {tw}",
            "fr": f"{v} {fw} en {tw}",
            "de": f"{v} {fw} in {tw}",
        }, {"value": v, "from_unit": f, "to_unit": t}

    return clause


PHRASES = [
    "good luck with the exam",
    "see you soon",
    "the train is late",
    "happy birthday",
    "where is the station",
]
LANGS = {
    "German": "de",
    "Italian": "it",
    "Japanese": "ja",
    "Dutch": "nl",
    "Swahili": "sw",
    "Polish": "pl",
}


def _text(name: str) -> Callable[[random.Random], Clause]:
    def clause(rng: random.Random) -> Clause:
        t = rng.choice(PHRASES)
        if name == "translate_phrase":
            lang, code = rng.choice(list(LANGS.items()))
            return {
                "en": f"translate '{t}' into {lang}",
                "en-terse": f"'{t}' -> {lang}",
            }, {"text": t, "target": code}
        what = {
            "language_of": "detect the language of",
            "count_words": "count the words in",
            "to_upper": "upper-case",
            "reverse_text": "reverse",
        }[name]
        return {"en": f"{what} '{t}'", "en-terse": f"{what} '{t}'"}, {"text": t}

    return clause


def _stats(name: str) -> Callable[[random.Random], Clause]:
    word = {
        "mean_of": "mean",
        "median_of": "median",
        "stdev_of": "standard deviation",
        "max_of": "largest value",
    }[name]

    def clause(rng: random.Random) -> Clause:
        xs = [rng.randint(1, 60) for _ in range(rng.randint(3, 6))]
        listed = ", ".join(map(str, xs))
        return {"en": f"the {word} of {listed}", "en-terse": f"{word} [{listed}]"}, {"values": xs}

    return clause


def _chance(name: str) -> Callable[[random.Random], Clause]:
    def clause(rng: random.Random) -> Clause:
        n, k = rng.randint(5, 20), rng.randint(2, 4)
        if name == "factorial_of":
            return {"en": f"{n} factorial", "en-terse": f"{n}!"}, {"n": n}
        if name == "draw_probability":
            f, t = rng.randint(1, 9), rng.choice([20, 30, 50, 100])
            return {
                "en": f"the probability of {f} winning tickets out of {t}",
                "en-terse": f"P {f}/{t}",
            }, {"favorable": f, "total": t}
        word = "ways to choose" if name == "combinations" else "ordered ways to line up"
        return {
            "en": f"the number of {word} {k} of {n}",
            "en-terse": f"{name[0].upper()}({n},{k})",
        }, {"n": n, "k": k}

    return clause


CLAUSES: dict[str, Callable[[random.Random], Clause]] = {
    "volume_box": _box,
    "volume_ball": _ball,
    "volume_tube": _tube,
    "surface_ball": _surface,
    "volume_cone": _cone,
    "simple_interest": _simple,
    "compound_growth": _compound,
    "move_money": _transfer,
    "account_balance": _balance,
    **{n: _convert(n) for n in UNITS},
    **{
        n: _text(n)
        for n in ("translate_phrase", "language_of", "count_words", "to_upper", "reverse_text")
    },
    **{n: _stats(n) for n in ("mean_of", "median_of", "stdev_of", "max_of")},
    **{n: _chance(n) for n in ("draw_probability", "combinations", "permutations", "factorial_of")},
}
IMPERATIVE = {
    "translate_phrase",
    "language_of",
    "count_words",
    "to_upper",
    "reverse_text",
    "move_money",
}
"""Functions whose clauses are commands, not things to work out."""
FRAMES = {
    "en": (
        ["Calculate ", "Give me ", "I need ", "Please work out ", "What is ", ""],
        [", and also ", ". Also ", ", then ", " and "],
    ),
    "en-terse": ([""], ["; ", ", ", " + "]),
    "es": (["Calcula ", "Necesito "], [" y también ", "; además "]),
    "fr": (["Calcule ", "J'ai besoin de "], [" et aussi ", "; ensuite "]),
    "de": (["Berechne ", "Ich brauche "], [" und außerdem ", "; dann "]),
}


def _family_of(name: str) -> str:
    return next(f for f, tools in FAMILIES.items() if any(t["name"] == name for t in tools))


def parallel_instance(rng: random.Random, *, same_share: float = 0.4) -> dict[str, Any]:
    """2-4 calls in one request: the same function for several values (``same_share``) or
    several sibling functions, with the family's other members offered as near misses."""
    family = rng.choice([f for f, ts in FAMILIES.items() if any(t["name"] in CLAUSES for t in ts)])
    names = [t["name"] for t in FAMILIES[family] if t["name"] in CLAUSES]
    n = rng.choice([2, 2, 3, 3, 4])
    if rng.random() < same_share:
        picked = [rng.choice(names)] * n
        kind = "parallel"
    else:
        picked = [rng.choice(names) for _ in range(n)]
        if len(set(picked)) < 2:
            picked[-1] = rng.choice([x for x in names if x != picked[0]])
        kind = "parallel-multiple"
    clauses = [CLAUSES[name](rng) for name in picked]
    langs = set.intersection(*(set(c[0]) for c in clauses))
    lang = (
        rng.choice(sorted(langs)) if rng.random() < 0.25 else rng.choice(["en", "en", "en-terse"])
    )
    lead, joins = FRAMES[lang]
    if IMPERATIVE & set(picked):  # "translate ...", "move $500 ...": no "Calculate" before them
        lead = ["", "Please ", "Could you "] if lang.startswith("en") else [""]
    plan, texts, seen = [], [], set()
    for name, (said, args) in zip(picked, clauses, strict=True):
        key = (name, repr(sorted(args.items())))
        if key in seen:
            continue
        seen.add(key)
        plan.append({"api": name, "parameters": args})
        texts.append(said[lang])
    if len(plan) < 2:
        return parallel_instance(rng, same_share=same_share)
    text = texts[0]
    for t in texts[1:]:
        text += rng.choice(joins) + t
    query = rng.choice(lead) + text
    query = (
        query[0].upper() + query[1:] + ("" if lang == "en-terse" else rng.choice([".", "?", ""]))
    )
    siblings = [t["name"] for t in FAMILIES[family]]
    other = [t["name"] for f, ts in FAMILIES.items() if f != family for t in ts]
    offered = list(dict.fromkeys(siblings + rng.sample(other, rng.randint(0, 2))))
    rng.shuffle(offered)
    return {
        "query": query,
        "plan": plan,
        "offered": offered,
        "kind": f"{kind}-{lang.split('-')[0] if lang != 'en-terse' else 'terse'}",
    }
