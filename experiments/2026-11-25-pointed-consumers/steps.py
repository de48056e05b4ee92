"""Does cutting the selector's query parts finer help it find the tool a later step needs?

Variants of the shipped part function (`clauses`), each fitted as `toolrag train selector`
fits (same split, candidates and C), then scored on the 54 validation queries (retrieved
lists, threshold tuned there, as the trainer does) and on the 40 synthetic nested pairs
(oracle-5 lists at the tuned threshold: is each gold tool selected?):

- `sub`: a leading subordinate clause ("Once we have the wind energy potential, ...",
  "After registering, ...") is dropped from its part: it restates an earlier step.
- `ptr`: a phrase pointing at an earlier output ("found in the previous API response",
  "from the previous call") is dropped from its part: it names no tool.
- `sub+ptr`: both.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from common import SEAL  # noqa: E402

from toolrag.evaluation.planner import oracle_candidates  # noqa: E402
from toolrag.index.toolset import load_toolset  # noqa: E402
from toolrag.instances import read_instances  # noqa: E402
from toolrag.retriever import selector as sel  # noqa: E402
from toolrag.retriever.decompose import split_clauses  # noqa: E402
from toolrag.trainer.selector import (  # noqa: E402
    SelectorTrainConfig,
    fit_weights,
    selector_lists,
    split_instances,
    validate,
)

SUB = re.compile(
    r"^(?:once|after|when|as soon as|before|upon|following)\b[^,.;]{2,80},\s*(?=\S)", re.I
)
PTR = re.compile(
    r"\s*\b(?:(?:that|which)\s+(?:is|was|are|were)\s+)?(?:found|obtained|mentioned|returned|"
    r"retrieved|given|provided|received|available|contained)?\s*(?:in|from)\s+(?:the\s+)?"
    r"(?:response\s+of\s+the\s+)?(?:previous|first|last|earlier|above|prior)\s+"
    r"(?:api\s+)?(?:call|response|step|request|operation|query|result)s?\b",
    re.I,
)


def cut(sub: bool, ptr: bool):
    def parts(query: str) -> list[str]:
        out = []
        for part in split_clauses(query):
            if sub:
                rest = SUB.sub("", part)
                part = rest if len(rest.split()) >= 2 else part
            if ptr:
                rest = PTR.sub("", part).strip()
                part = rest if len(rest.split()) >= 2 else part
            out.append(part)
        return out if len(out) > 1 else [query]

    return parts


VARIANTS = {
    "clauses": None,
    "sub": cut(True, False),
    "ptr": cut(False, True),
    "sub+ptr": cut(True, True),
}
for name, fn in VARIANTS.items():
    if fn is not None:
        sel.PARTS[name] = fn

tools = load_toolset(SEAL / "tool.jsonl")
cfg = SelectorTrainConfig(
    train=SEAL / "dev.jsonl", tools=[SEAL / "tool.jsonl"], out=Path("/tmp/unused"), parts="clauses"
)
train, val, held = split_instances(cfg.train_instances(), tools, cfg)
index, train_lists, val_lists = selector_lists(cfg, tools, train, val, held, progress=False)
nested = read_instances(ROOT / ".cache" / "nested-validation.jsonl")
oracle = oracle_candidates(tools, 5)
results = {}
for name in VARIANTS:
    weights = fit_weights(index, train_lists, cfg.c, name)
    v = validate(index, val_lists, weights)
    # the part variants alone: the pointed rule (adopted later) off
    s = sel.ToolSelector(index, weights | {"threshold": v["threshold"]}, pointed=False)
    tp = fp = fn = 0
    consumers = hit = 0
    for inst in nested:
        cands = oracle(inst)
        chosen = {t.name for t in s.select(inst.query, cands).tools}
        gold = set(inst.gold_tools)
        tp, fp, fn = tp + len(chosen & gold), fp + len(chosen - gold), fn + len(gold - chosen)
        for call in inst.calls:
            if call.references():
                consumers += 1
                hit += call.api in chosen
    results[name] = {
        "val_threshold": v["threshold"],
        "val_set_f1": round(100 * v["set_f1"], 1),
        "val_exact": round(100 * v["exact_set"], 1),
        "nested_set_f1": round(100 * 2 * tp / (2 * tp + fp + fn), 1),
        "nested_consumers_selected": f"{hit}/{consumers}",
        "coef": [round(c, 3) for c in weights["coef"]],
    }
    print(name, results[name], flush=True)
Path(__file__).with_name("steps.json").write_text(json.dumps(results, indent=2) + "\n")
