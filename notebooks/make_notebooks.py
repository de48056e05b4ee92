"""Write the walkthrough notebooks from the cells below (keeps them reviewable as plain Python).

python notebooks/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SMALL = """import os
from pathlib import Path

# CI runs these notebooks on small settings; set TOOLRAG_NB_FULL=1 for the real sizes.
FULL = os.environ.get("TOOLRAG_NB_FULL") == "1"
SEAL = Path("../../shared/data/seal-tools")
if not SEAL.exists():
    SEAL = Path("../shared/data/seal-tools")
HAVE_SEAL = (SEAL / "tool.jsonl").exists()
WORK = Path(os.environ.get("TOOLRAG_NB_WORK", "nb-work"))
WORK.mkdir(exist_ok=True)"""

NB1 = [
    new_markdown_cell(
        "# 01 · Build a tool index and retrieve\n\n"
        "Load a toolset (any supported format), build the persisted BM25 + FAISS index, ask which "
        "tools a query needs, and measure retrieval on labelled instances."
    ),
    new_code_cell(SMALL),
    new_code_cell(
        "from importlib import resources\n\n"
        "from toolrag.index.store import ToolIndex\n"
        "from toolrag.index.toolset import load_toolset\n"
        "from toolrag.retriever.factory import default_retriever\n\n"
        "with resources.as_file(resources.files('toolrag') / 'data' / 'sample_tools.json') as p:\n"
        "    tools = load_toolset(p)\n"
        "index = ToolIndex.build(tools)\n"
        "path = index.save(WORK / 'sample-index')\n"
        "print(len(index), 'tools ->', path)"
    ),
    new_code_cell(
        "retriever = default_retriever(ToolIndex.load(path))\n"
        "for hit in retriever.retrieve('Convert 250 euros to dollars and get the Apple stock price', k=5):\n"
        "    print(hit.rank, hit.tool.name, round(hit.score, 3))"
    ),
    new_markdown_cell(
        "Retrieval quality on a slice of Seal-Tools (when `../shared/data` is present)."
    ),
    new_code_cell(
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n\n"
        "from toolrag.retriever.factory import make_retriever\n"
        "from toolrag.evaluation.retrieval import evaluate_retriever\n"
        "from toolrag.instances import read_instances\n\n"
        "if HAVE_SEAL:\n"
        "    seal_tools = load_toolset(SEAL / 'tool.jsonl')\n"
        "    insts = read_instances(SEAL / 'test_in_domain.jsonl')[:: 1 if FULL else 35]\n"
        "    needed = {c.api for i in insts for c in i.calls}\n"
        "    pool = seal_tools if FULL else [t for t in seal_tools if t.name in needed] + seal_tools[:300]\n"
        "    seal_index = ToolIndex.build(list({t.name: t for t in pool}.values()))\n"
        "    ks = [1, 3, 5, 10, 20]\n"
        "    for mode in ['bm25', 'dense', 'hybrid']:\n"
        "        scores, _ = evaluate_retriever(make_retriever(seal_index, mode), insts)\n"
        "        plt.plot(ks, [scores['overall'][f'R@{k}'] for k in ks], marker='o', label=mode)\n"
        "    plt.xlabel('K')\n"
        "    plt.ylabel('Recall@K')\n"
        "    plt.legend()\n"
        "    plt.title(f'{len(insts)} queries')\n"
        "    plt.savefig(WORK / 'recall_at_k.png')\n"
        "    print({k: round(v, 3) for k, v in scores['overall'].items() if k.startswith(('R@', 'COMP@'))})"
    ),
]

NB2 = [
    new_markdown_cell(
        "# 02 · Train the dense retriever with a multi-positive loss\n\n"
        "A query needs several tools; multi-positive InfoNCE keeps a query's other tools out of its "
        "negatives. CI runs a few steps; `TOOLRAG_NB_FULL=1` runs the real recipe (~45 min on 2 cores)."
    ),
    new_code_cell(SMALL),
    new_code_cell(
        "from toolrag.trainer.retriever import LossName, RetrieverTrainConfig, train_retriever\n\n"
        "if HAVE_SEAL:\n"
        "    cfg = RetrieverTrainConfig(\n"
        "        train=SEAL / 'dev.jsonl', tools=[SEAL / 'tool.jsonl'], out=WORK / 'retriever',\n"
        "        loss=LossName.INFONCE,\n"
        "        max_steps=-1 if FULL else 2, limit=None if FULL else 16,\n"
        "        limit_tools=None if FULL else 16, evaluate=FULL,\n"
        "    )\n"
        "    model_dir = train_retriever(cfg, progress=False)\n"
        "    print(sorted(p.name for p in model_dir.iterdir())[:8])"
    ),
    new_code_cell(
        "from toolrag.index.store import ToolIndex\n"
        "from toolrag.index.toolset import load_toolset\n"
        "from toolrag.retriever.factory import make_retriever\n\n"
        "if HAVE_SEAL:\n"
        "    tools = load_toolset(SEAL / 'tool.jsonl')[: None if FULL else 200]\n"
        "    idx = ToolIndex.build(tools, model=str(model_dir))\n"
        "    print(idx.manifest['embedding'])\n"
        "    for hit in make_retriever(idx, 'dense').retrieve(tools[0].description, k=3):\n"
        "        print(hit.rank, hit.tool.name)"
    ),
]

NB3 = [
    new_markdown_cell(
        "# 03 · The agent end to end\n\n"
        "Retrieve → plan (the shipped fine-tuned SmolLM2 adapter, grammar-constrained) → check → "
        "execute (registered Python callables; other tools simulated from their schema)."
    ),
    new_code_cell(SMALL),
    new_code_cell(
        "from importlib import resources\n\n"
        "from toolrag.agent.agent import Agent\n"
        "from toolrag.agent.executor import ToolRegistry\n"
        "from toolrag.agent.planner import Planner\n"
        "from toolrag.index.store import ToolIndex\n"
        "from toolrag.index.toolset import load_toolset\n\n"
        "with resources.as_file(resources.files('toolrag') / 'data' / 'sample_tools.json') as p:\n"
        "    index = ToolIndex.build(load_toolset(p))\n"
        "registry = ToolRegistry()\n\n"
        "@registry.register('convert_currency')\n"
        "def convert_currency(amount, from_currency, to_currency):\n"
        "    return {'converted_amount': round(float(amount) * 1.08, 2), 'rate': 1.08}\n\n"
        "agent = Agent(index, Planner.load(), registry=registry, k=5)\n"
        "answer = agent.ask('Convert 250 euros to US dollars.')\n"
        "print([c['name'] for c in answer.candidates])\n"
        "for call in answer.plan.calls:\n"
        "    print(call.api, call.parameters, call.responses)\n"
        "print([str(v) for v in answer.violations])\n"
        "for obs in answer.trace:\n"
        "    print(obs.api, obs.output or obs.error, '(simulated)' if obs.simulated else '')"
    ),
    new_markdown_cell("Planner metrics (Seal-Tools scorer) on a few test instances, by category."),
    new_code_cell(
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n\n"
        "from toolrag.evaluation.planner import evaluate_planner, oracle_candidates, spread\n"
        "from toolrag.instances import read_instances\n\n"
        "if HAVE_SEAL:\n"
        "    insts = spread(read_instances(SEAL / 'test_in_domain.jsonl'), None if FULL else 4)\n"
        "    cands = oracle_candidates(load_toolset(SEAL / 'tool.jsonl'))\n"
        "    pred = WORK / 'nb3-predictions.jsonl'\n"
        "    pred.unlink(missing_ok=True)\n"
        "    res = evaluate_planner(agent.planner, insts, cands, pred, progress=False)\n"
        "    cats = [c for c in res['scores'] if c != 'overall']\n"
        "    plt.bar(cats, [res['scores'][c]['tool_f1'] for c in cats])\n"
        "    plt.ylabel('Tool F1')\n"
        "    plt.savefig(WORK / 'tool_f1_by_category.png')\n"
        "    overall = res['scores']['overall']\n"
        "    print({k: round(v, 1) for k, v in overall.items() if k != 'errors'})\n"
        "    print('where the score is lost:', overall['errors'])"
    ),
]


def main() -> None:
    for name, cells in [
        ("01_build_index", NB1),
        ("02_train_retriever", NB2),
        ("03_agent_end_to_end", NB3),
    ]:
        nb = new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, HERE / f"{name}.ipynb")
        print("wrote", HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
