"""Where gold string values lie: in the part of the query that asks for their tool, in a part
that asks for no gold tool, or only in another tool's part (gold tools only, no model).

    python experiments/2026-11-24-scoped-values/part_values.py ../shared/data/seal-tools/dev.jsonl
"""

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from common import seal_index

from toolrag.instances import read_instances
from toolrag.retriever.decompose import split_clauses

index = seal_index()
counts: Counter[str] = Counter()
for inst in read_instances(sys.argv[1]):
    names = list(dict.fromkeys(c.api for c in inst.calls))
    pieces = split_clauses(inst.query)
    if len(names) < 2 or len(pieces) < 2:
        continue
    cos = index.encode_queries(pieces) @ index.embeddings[[index.row(n) for n in names]].T
    pos = {n: int(cos[:, j].argmax()) for j, n in enumerate(names)}
    spans, start = [], 0
    for piece in pieces:
        k = inst.query.find(piece, start)
        spans.append((k, k + len(piece)))
        start = k + len(piece) if k >= 0 else start
    for call in inst.calls:
        for v in call.parameters.values():
            if not isinstance(v, str) or v.startswith("API_call"):
                continue
            found = [m.start() for m in re.finditer(re.escape(v), inst.query, re.IGNORECASE)]
            parts = {i for at in found for i, (a, b) in enumerate(spans) if a <= at < b}
            if not found:
                counts["not in the query"] += 1
            elif pos[call.api] in parts:
                counts["own part"] += 1
            elif parts - set(pos.values()):
                counts["a part no gold tool is asked for in"] += 1
            else:
                counts["only another tool's part"] += 1
print(dict(counts))
