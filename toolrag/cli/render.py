"""How results are shown on a terminal: tables and trees, shared by the commands."""

from __future__ import annotations

import json

from rich.table import Table

from toolrag.cli.common import console


def hits_table(query: str, hits, label: str) -> None:
    table = Table(title=f"{query}  [dim]({label})[/]", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("tool", style="bold cyan")
    table.add_column("score", justify="right")
    table.add_column("description")
    for h in hits:
        table.add_row(str(h.rank), h.tool.name, f"{h.score:.3f}", h.tool.description)
    console.print(table)


def show_answer(answer) -> None:
    from rich.tree import Tree

    table = Table(title=f"Retrieved for: {answer.query}", title_justify="left")
    for c in ["#", "tool", "score", "description"]:
        table.add_column(c)
    if answer.selected is not None:
        table.add_column("P(needed)")
    for i, c in enumerate(answer.candidates, 1):
        row = [str(i), c["name"], f"{c['score']:.3f}", c["description"][:70]]
        if answer.selected is not None:
            mark = " *" if c["name"] in answer.selected else ""
            row.append(f"{c['probability']:.2f}{mark}")
        table.add_row(*row)
    console.print(table)
    plan = answer.plan
    if not plan.format_ok:
        console.print(f"[red]format error:[/] {plan.error}")
        return
    from toolrag.agent.plan import depends_on

    uses = depends_on(plan.calls)
    tree = Tree(f"plan ({len(plan.calls)} calls, {plan.seconds:.2f} s)")
    nodes = []
    for i, call in enumerate(plan.calls):
        deps = uses[i]
        parent = nodes[deps[-1]] if deps else tree
        label = f"[bold]{i}. {call.api}[/]({json.dumps(call.parameters, ensure_ascii=False)})"
        if deps:
            label += f"  [dim]uses output of call {', '.join(map(str, deps))}[/]"
        nodes.append(parent.add(label))
    if not plan.calls:
        tree.add("[dim]no tool fits: empty plan[/]")
    console.print(tree)
    for v in answer.violations:
        console.print(f"[yellow]check:[/] {v}")
    for obs in answer.trace:
        result = obs.error or json.dumps(obs.output, ensure_ascii=False)
        tag = " (simulated)" if obs.simulated else ""
        console.print(f"  -> {obs.call}. {obs.api}{tag}: {result}")
