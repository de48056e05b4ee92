"""Among candidates the selector leaves out (p < 0.43), how many does the query point at
(a required parameter named behind "the same", "that", ... or before "from the previous
call"), and how many of those are gold, per probability band."""

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from toolrag.index.toolset import load_toolset  # noqa: E402
from toolrag.text import split_identifier  # noqa: E402

tools = {t.name: t for t in load_toolset(ROOT.parent / "shared/data/seal-tools/tool.jsonl")}
DEMONSTRATIVE = r"(?:the same|this|that|these|those)"
EARLIER = (
    r"(?:found|obtained|mentioned|returned|retrieved|given|provided)?\s*(?:in|from|by)\s+"
    r"(?:the\s+)?(?:response of the\s+)?(?:previous|first|last|earlier|above)"
)


def name_forms(param: str) -> list[str]:
    words = split_identifier(param).lower().split()
    forms = {" ".join(words), words[-1]}
    return sorted({f for f in forms | {f + "s" for f in forms} if f})


def pointed(query: str, tool) -> list[str]:
    q = " " + re.sub(r"[^a-z0-9]+", " ", query.lower()) + " "
    hits = []
    for p in tool.parameters:
        if not p.required:
            continue
        for form in name_forms(p.name):
            f = re.escape(form)
            if re.search(rf" {DEMONSTRATIVE} {f} ", q) or re.search(rf" {f} {EARLIER}", q):
                hits.append(p.name)
                break
    return hits


if __name__ == "__main__":
    rows = [json.loads(line) for line in (ROOT / ".cache" / "pointed-probs.jsonl").open()]
    for src in ("dev", "nestedval"):
        bands = Counter()
        for r in rows:
            if not r["id"].startswith(src):
                continue
            for name, p in zip(r["candidates"], r["probabilities"], strict=True):
                if p >= 0.43:
                    continue
                hit = pointed(r["query"], tools[name])
                if not hit:
                    continue
                band = "0.2-0.43" if p >= 0.2 else "0.1-0.2" if p >= 0.1 else "<0.1"
                bands[band, name in r["gold"]] += 1
                if p >= 0.1 and len(sys.argv) > 1:
                    print(src, name in r["gold"], round(p, 3), name, hit, "|", r["query"][:200])
        print(src, {f"{b} {'gold' if g else 'not'}": n for (b, g), n in sorted(bands.items())})
