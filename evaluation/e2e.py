"""End-to-end evaluation: retrieval, planning with oracle-5 candidates, planning with the real
retrieved top K -- one run, split by single / multiple / nested, with a per-instance error label.

Error labels (first that applies, on the retrieved-candidates run):

- ``format``: the output did not parse;
- ``retrieval_miss``: a gold tool was not among the retrieved candidates;
- ``wrong_tool``: the planned tools differ from the gold tools;
- ``bad_nesting``: a gold reference is not reproduced (strict check);
- ``wrong_param``: a parameter is missing, extra or has another value;
- ``ok``: the plan equals the gold plan.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolrag.agent.planner import Planner
from toolrag.evaluation.plan_metrics import score_instance
from toolrag.evaluation.planner import (
    check_gold_tools,
    error_table,
    evaluate_planner,
    markdown_table,
    oracle_candidates,
    read_predictions,
    retrieved_candidates,
)
from toolrag.evaluation.retrieval import evaluate_retriever
from toolrag.retriever.factory import default_retriever
from toolrag.types import Instance, ToolCall

logger = logging.getLogger(__name__)

ERROR_LABELS = ["ok", "format", "retrieval_miss", "wrong_tool", "bad_nesting", "wrong_param"]


def error_label(inst: Instance, row: dict[str, Any]) -> str:
    """The first error that explains why this prediction is not the gold plan."""
    if not row["format_ok"]:
        return "format"
    if not row["gold_in_candidates"]:
        return "retrieval_miss"
    pred = [ToolCall(**c) for c in row["calls"]]
    if sorted(c.api for c in pred) != sorted(c.api for c in inst.calls):
        return "wrong_tool"
    counts = score_instance(inst.calls, pred)
    if counts.ref_correct < counts.ref_gold:
        return "bad_nesting"
    return "ok" if counts.exact else "wrong_param"


def evaluate_e2e(
    index: Any,
    planner: Planner,
    instances: Sequence[Instance],
    out: Path,
    *,
    k: int = 5,
    progress: bool = True,
    selector: Any = None,
) -> dict[str, Any]:
    """Run the three evaluations (each resumable) and write report.json, report.md and, with
    matplotlib installed, plots. A ``selector`` constrains both planner runs."""
    out.mkdir(parents=True, exist_ok=True)
    retriever = default_retriever(index)
    retrieval, _ = evaluate_retriever(retriever, instances)
    check_gold_tools(instances, {t.name for t in index.tools}, "the index")
    kw = {"progress": progress, "selector": selector}
    oracle = evaluate_planner(
        planner, instances, oracle_candidates(index.tools), out / "oracle5.jsonl", **kw
    )
    retrieved_path = out / f"retrieved{k}.jsonl"
    retrieved = evaluate_planner(
        planner, instances, retrieved_candidates(retriever, k), retrieved_path, **kw
    )
    rows = read_predictions(retrieved_path)
    labels = {i.id: error_label(i, rows[i.id]) for i in instances}
    by_cat: dict[str, Counter] = {}
    for inst in instances:
        by_cat.setdefault(inst.category.value, Counter())[labels[inst.id]] += 1
    report = {
        "n": len(instances),
        "k": k,
        "selector": None if selector is None else f"{selector.label} t={selector.threshold:.2f}",
        "retrieval": retrieval,
        "planner_oracle5": oracle,
        f"planner_retrieved{k}": retrieved,
        "errors": {
            "overall": dict(Counter(labels.values())),
            **{c: dict(v) for c, v in by_cat.items()},
        },
        "error_per_instance": labels,
    }
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "report.md").write_text(markdown(report) + "\n")
    report["plots"] = plot(report, out)
    return report


def markdown(report: dict[str, Any]) -> str:
    k = report["k"]
    ret = report["retrieval"]
    lines = [
        f"# End to end ({report['n']} instances, top-{k} retrieved candidates)",
        "",
        "## Retrieval",
        "",
        "| slice | n | R@5 | COMP@5 | R@10 | COMP@10 | nDCG@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    for cat, s in ret.items():
        lines.append(
            f"| {cat} | {s['n']} | {s['R@5']:.3f} | {s['COMP@5']:.3f} | {s['R@10']:.3f} | "
            f"{s['COMP@10']:.3f} | {s['nDCG@10']:.3f} |"
        )
    lines += [
        "",
        "## Planner (Seal-Tools metrics, %)",
        "",
        markdown_table(
            {
                "oracle-5": report["planner_oracle5"],
                f"retrieved top-{k}": report[f"planner_retrieved{k}"],
            }
        ),
        "",
        f"## Errors (retrieved top-{k})",
        "",
        "| slice | " + " | ".join(ERROR_LABELS) + " |",
        "|---|" + "---|" * len(ERROR_LABELS),
    ]
    for cat, counts in report["errors"].items():
        lines.append(f"| {cat} | " + " | ".join(str(counts.get(e, 0)) for e in ERROR_LABELS) + " |")
    planners = {"oracle-5": report["planner_oracle5"], f"top-{k}": report[f"planner_retrieved{k}"]}
    lines += ["", "## Where the score is lost (strict matching; counts)", "", error_table(planners)]
    return "\n".join(lines)


def plot(report: dict[str, Any], out: Path) -> list[str]:
    """recall_at_k.png (by category) and f1_by_category.png (oracle vs retrieved); the files
    written, none when matplotlib is not installed (it is optional)."""
    try:
        import matplotlib
    except ImportError:
        logger.warning("no plots: matplotlib is not installed (pip install matplotlib)")
        return []

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = [1, 3, 5, 10, 20]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for cat, s in report["retrieval"].items():
        ax.plot(ks, [s[f"R@{k}"] for k in ks], marker="o", label=cat)
    ax.set_xlabel("K")
    ax.set_ylabel("Recall@K")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "recall_at_k.png", dpi=120)
    plt.close(fig)

    k = report["k"]
    settings = {"oracle-5": report["planner_oracle5"], f"top-{k}": report[f"planner_retrieved{k}"]}
    cats = list(report["planner_oracle5"]["scores"])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), sharey=True)
    width = 0.38
    for ax, metric in zip(axes, ["tool_f1", "param_f1"], strict=True):
        for j, (name, res) in enumerate(settings.items()):
            ax.bar(
                [i + j * width for i in range(len(cats))],
                [res["scores"][c][metric] for c in cats],
                width,
                label=name,
            )
        ax.set_xticks([i + width / 2 for i in range(len(cats))], cats)
        ax.set_title(metric)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(out / "f1_by_category.png", dpi=120)
    plt.close(fig)
    return ["recall_at_k.png", "f1_by_category.png"]
