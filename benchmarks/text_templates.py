"""Which tool fields help retrieval? BM25 and untrained dense retrieval on dev.jsonl for each text
template (name; name + description; + parameters; + outputs and domain)."""

from __future__ import annotations

from common import SEAL, write_results

from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.index.store import ToolIndex
from toolrag.index.text import TextTemplate
from toolrag.index.toolset import load_toolset
from toolrag.retriever.factory import make_retriever

COLUMNS = ["R@5", "COMP@5", "R@10", "COMP@10", "nDCG@10"]


def main() -> None:
    from toolrag.instances import read_instances

    tools = load_toolset(SEAL / "tool.jsonl")
    dev = read_instances(SEAL / "dev.jsonl")
    rows = {}
    for template in TextTemplate:
        idx = ToolIndex.build(tools, bm25_template=template, dense_template=template)
        for mode in ("bm25", "dense"):
            rows[f"{mode} / {template.value}"] = evaluate_retriever(make_retriever(idx, mode), dev)[
                0
            ]["overall"]
    md = [
        "# Tool text templates on dev.jsonl (700 queries, 4,076 tools, untrained MiniLM)",
        "",
        "| retriever / template | " + " | ".join(COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    md += [f"| {k} | " + " | ".join(f"{v[c]:.3f}" for c in COLUMNS) + " |" for k, v in rows.items()]
    write_results("text_templates_dev", {"results": rows}, "\n".join(md))


if __name__ == "__main__":
    main()
