"""Experiment of 2026-11-21, run on commit e583531; result: benchmarks/results/grammar_libraries.md (and .json).

Re-running: from the repository root, `PYTHONPATH=benchmarks python experiments/2026-11-21-grammar-libraries.py`; it needs xgrammar, which the project does not install (pip install xgrammar).

llguidance vs xgrammar on the planner's constraint, same JSON Schema, same tokens, one run.

For dev instances with oracle-5 candidates, the schema is "a list of calls, each one of the
candidates with only its own parameters" (what the planner's stage grammar enforces, minus the
stage-dependent references). Measured per library: compile time per candidate set (schema to
a ready matcher); time to
compute the next-token mask, averaged over every token of the gold plan; correctness: the gold
plan must be accepted, and corrupted plans (an invented tool, an unknown parameter, broken JSON)
must be rejected.

    python benchmarks/grammar_libraries.py --n 100
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from common import SEAL, write_results

from toolrag.agent.grammar import NOT_A_REFERENCE
from toolrag.agent.models import SMOLLM2, packaged_folder
from toolrag.agent.plan import dumps, to_internal
from toolrag.evaluation.candidates import CandidateBuilder
from toolrag.index.toolset import load_toolset
from toolrag.instances import read_instances


def plan_schema(tools) -> dict:
    calls = []
    for t in tools:
        props = {}
        for p in t.parameters:
            value = [{"type": "string"}]
            if p.type.value != "string":
                value.insert(0, {"type": p.type.value})
            props[p.name] = {"anyOf": value} if len(value) > 1 else value[0]
        calls.append(
            {
                "type": "object",
                "properties": {
                    "api": {"const": t.name},
                    "parameters": {
                        "type": "object",
                        "properties": props,
                        "additionalProperties": False,
                    },
                },
                "required": ["api", "parameters"],
                "additionalProperties": False,
            }
        )
    return {"type": "array", "items": {"anyOf": calls}}


def corruptions(text: str, tools) -> list[str]:
    plan = json.loads(text)
    bad_tool = [dict(plan[0], api=plan[0]["api"] + "X"), *plan[1:]]
    bad_param = [dict(plan[0], parameters={**plan[0]["parameters"], "zz_unknown": "1"}), *plan[1:]]
    return [dumps(bad_tool), dumps(bad_param), text[:-1] + "}"]


class Llg:
    name = "llguidance"

    def __init__(self, tok):
        import llguidance.hf

        self.tok = tok
        self.lt = llguidance.hf.from_tokenizer(tok)

    def compile(self, schema):
        from llguidance import LLMatcher

        grammar = LLMatcher.grammar_from_json_schema(
            schema, defaults={"whitespace_flexible": False}
        )
        LLMatcher(self.lt, grammar, log_level=0)  # the grammar is compiled here
        return grammar

    def run(self, grammar, ids):
        from llguidance import LLMatcher

        m = LLMatcher(self.lt, grammar, log_level=0)
        times, ok = [], True
        for t in ids:
            s = time.perf_counter()
            m.compute_bitmask()
            times.append(time.perf_counter() - s)
            if not m.consume_token(t):
                ok = False
                break
        return ok and m.is_accepting(), times


class Xgr:
    name = "xgrammar"

    def __init__(self, tok):
        import xgrammar as xgr

        self.xgr = xgr
        info = xgr.TokenizerInfo.from_huggingface(tok)
        self.compiler = xgr.GrammarCompiler(info, cache_enabled=False)
        self.mask = xgr.allocate_token_bitmask(1, info.vocab_size)

    def compile(self, schema):
        return self.compiler.compile_json_schema(
            json.dumps(schema), any_whitespace=False, separators=(",", ":")
        )

    def run(self, compiled, ids):
        m = self.xgr.GrammarMatcher(compiled)
        times, ok = [], True
        for t in ids:
            s = time.perf_counter()
            m.fill_next_token_bitmask(self.mask)
            times.append(time.perf_counter() - s)
            if not m.accept_token(t):
                ok = False
                break
        return ok and m.is_completed() if ok else False, times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--name", default="grammar_libraries")
    args = ap.parse_args()
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(packaged_folder(SMOLLM2))
    tools = load_toolset(SEAL / "tool.jsonl")
    by_name = {t.name: t for t in tools}
    builder = CandidateBuilder(tools)
    insts = read_instances(SEAL / "dev.jsonl")[:: max(1, 700 // args.n)][: args.n]
    cases = []
    for inst in insts:
        cands = builder.oracle(inst.query, inst.gold_tools, rng=random.Random(inst.id))
        gold = dumps(to_internal(inst.calls, by_name))
        gold = gold.replace('"$', '"ref$')  # references are plain strings in this schema
        cases.append((plan_schema(cands), gold, corruptions(gold, cands)))
    assert NOT_A_REFERENCE  # the planner's own grammar adds reference patterns on top
    rows = {}
    for lib in (Llg(tok), Xgr(tok)):
        compile_s, mask_s, accepted, rejected, n_bad = [], [], 0, 0, 0
        for schema, gold, bads in cases:
            s = time.perf_counter()
            g = lib.compile(schema)
            compile_s.append(time.perf_counter() - s)
            ok, times = lib.run(g, tok(gold, add_special_tokens=False).input_ids)
            accepted += ok
            mask_s += times
            for bad in bads:
                n_bad += 1
                rejected += not lib.run(g, tok(bad, add_special_tokens=False).input_ids)[0]
        rows[lib.name] = {
            "compile_ms_p50": 1000 * statistics.median(compile_s),
            "mask_us_mean": 1e6 * statistics.mean(mask_s),
            "mask_us_p95": 1e6 * sorted(mask_s)[int(0.95 * len(mask_s))],
            "gold_accepted": accepted / len(cases),
            "corrupt_rejected": rejected / n_bad,
        }
    lines = [
        f"# Grammar libraries on the planner's constraint ({len(cases)} dev candidate sets, one run)",
        "",
        "| library | compile ms p50 | mask µs mean | mask µs p95 | gold accepted | corrupted rejected |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['compile_ms_p50']:.2f} | {r['mask_us_mean']:.0f} | "
            f"{r['mask_us_p95']:.0f} | {r['gold_accepted']:.2f} | {r['corrupt_rejected']:.2f} |"
        )
    write_results(args.name, {"n": len(cases), "rows": rows}, "\n".join(lines))


if __name__ == "__main__":
    main()
