"""An explicit pointer ("the resource ID obtained from the previous API call", "a location
found in the previous API response") asks for a value only an earlier call's output holds.
Counted with the shipped functions (`toolrag.text.output_mentions`, `mentioned_names`,
`toolrag.retriever.selector.pointed`) on the shipped selector's probabilities over oracle-5 lists
(.cache/pointed-probs.jsonl, written by probs.py):

- select: candidates under the threshold that `pointed` adds, needed (gold) or not, on
  dev.jsonl and on the 40 synthetic nested pairs;
- gold: in dev.jsonl, is a parameter a mention names (in any call after the first, whatever
  query part the call's tool fits: no part check) a reference?
"""

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from toolrag.index.toolset import load_toolset  # noqa: E402
from toolrag.retriever.selector import pointed  # noqa: E402
from toolrag.text import mentioned_names, output_mentions  # noqa: E402

THRESHOLD = 0.43  # the shipped selector's

if __name__ == "__main__":
    tools = {t.name: t for t in load_toolset(ROOT.parent / "shared/data/seal-tools/tool.jsonl")}
    rows = [json.loads(line) for line in (ROOT / ".cache" / "pointed-probs.jsonl").open()]
    floor = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
    for src in ("dev", "nestedval"):
        added, noted = Counter(), Counter()
        for r in rows:
            if not r["id"].startswith(src):
                continue
            cands = [tools[n] for n in r["candidates"]]
            chosen = {j for j, p in enumerate(r["probabilities"]) if p >= THRESHOLD}
            takes = pointed(
                r["query"], cands, r["probabilities"], r["where"], r["parts"], chosen, floor
            )
            for j in takes:
                name = r["candidates"][j]
                (noted if j in chosen else added)[name in r["gold"]] += 1
                if j not in chosen:
                    print(
                        src,
                        "added",
                        name in r["gold"],
                        round(r["probabilities"][j], 3),
                        name,
                        "|",
                        r["query"][:120],
                    )
        print(
            f"{src}: added {added[True]} needed, {added[False]} not; mentions given to "
            f"selected tools: {noted[True]} needed, {noted[False]} not"
        )
    ref = lit = 0
    dev = (ROOT.parent / "shared/data/seal-tools/dev.jsonl").read_text().splitlines()
    for line in dev:
        d = json.loads(line)
        for m in output_mentions(d["query"]):
            for c in d["calling"][1:]:
                for k in mentioned_names(tools[c["api"]].required, m.words):
                    v = c["parameters"].get(k)
                    if isinstance(v, str) and "API_call" in v:
                        ref += 1
                    else:
                        lit += 1
                        print("literal:", c["api"], k, v, "|", d["query"][:200])
    print(f"dev gold, no part check: parameters a mention names: {ref} references, {lit} literals")
