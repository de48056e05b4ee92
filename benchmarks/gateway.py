"""The MCP gateway over a catalog of hundreds of tools from many upstream MCP servers.

The catalog: the bundled sample toolset (88 tools) as one stdio server per domain, plus the
Seal-Tools tools of eight fields as one server per field (distractors: no request needs them).
Every server is a real MCP server process (``benchmarks/data/gateway/toolset_server.py``) that
the gateway starts, lists and indexes as ``toolrag gateway`` does.

Requests: ``benchmarks/data/gateway/requests.jsonl``, written by hand for this benchmark (not
taken from Seal-Tools' queries nor from the project's generators), each with the tools it needs.

Measured, in one run:

- the share of requests where ``search_tools(k=5)`` returns every needed tool (COMP@5) and the
  mean share of needed tools returned (R@5), against BM25 over names and descriptions (what the
  MCP proxies index) and the gateway's hybrid retrieval without the selector's re-ordering;
- tokens of tool definitions the agent receives per request (the four gateway tools plus one
  search's five definitions) against listing every tool, counted with the planner's tokenizer;
- p50 latency of ``search_tools`` through the MCP protocol, and of a ``call_tool`` forwarded by
  the gateway against the same call made directly to the same server.

Run: ``python benchmarks/gateway.py`` (about 10 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, SEAL, write_results

DATA = ROOT / "benchmarks" / "data" / "gateway"
SEAL_FIELDS = (
    "Healthcare",
    "Finance",
    "Hospitality",
    "Music",
    "Food and Beverage",
    "Transportation",
    "Media",
    "Cloud Computing",
)


def mcp_definition(tool: Any) -> dict[str, Any]:
    """A toolrag Tool as an MCP tools/list entry (input schema; output schema when it has one)."""
    out: dict[str, Any] = {
        "name": tool.name,
        "description": tool.description,
        "inputSchema": tool.to_json_schema(),
    }
    if tool.outputs:
        out["outputSchema"] = {
            "type": "object",
            "properties": {
                p.name: p.value_schema() | {"description": p.description} for p in tool.outputs
            },
        }
    return out


def catalog_servers(folder: Path) -> dict[str, Path]:
    """Write one JSON file of MCP tool definitions per upstream server; prefix -> file."""
    from toolrag.index.toolset import load_toolset
    from toolrag.sample import sample_tools

    groups: dict[str, list[Any]] = {}
    for tool in sample_tools():
        groups.setdefault(tool.domain or "misc", []).append(tool)
    seal = [
        t
        for t in load_toolset(SEAL / "tool.jsonl")
        if (t.domain or "").split("/")[0] in SEAL_FIELDS
    ]
    for tool in seal:
        field = tool.domain.split("/")[0]
        groups.setdefault("seal_" + re.sub(r"\W+", "_", field.lower()), []).append(tool)
    files = {}
    for prefix, tools in groups.items():
        path = folder / f"{prefix}.json"
        path.write_text(json.dumps([mcp_definition(t) for t in tools]))
        files[prefix] = path
    return files


def completeness(runs: dict[str, list[list[str]]], requests: list[dict]) -> dict[str, dict]:
    out = {}
    for name, run in runs.items():
        rows = {"all": [], "single": [], "multi": []}
        for req, found in zip(requests, run, strict=True):
            gold = set(req["tools"])
            hit = len(gold & set(found)) / len(gold)
            kind = "multi" if len(gold) > 1 else "single"
            for key in ("all", kind):
                rows[key].append((hit == 1.0, hit))
        out[name] = {
            key: {
                "n": len(v),
                "comp@5": round(sum(c for c, _ in v) / len(v), 4),
                "recall@5": round(sum(h for _, h in v) / len(v), 4),
            }
            for key, v in rows.items()
            if v
        }
    return out


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def made_up_arguments(schema: dict[str, Any]) -> dict[str, Any]:
    sample = {
        "string": "Oslo",
        "number": 2.5,
        "integer": 3,
        "boolean": True,
        "array": [],
        "object": {},
    }
    props = schema.get("properties", {})
    return {n: sample.get(props[n].get("type", "string"), "x") for n in schema.get("required", [])}


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    from mcp import Client, ClientSession, StdioServerParameters, stdio_client

    from toolrag.agent.gateway import META_TOOLS, Gateway, _hit_json
    from toolrag.agent.gateway_config import GatewayConfig
    from toolrag.agent.models import QWEN_CODER, packaged_folder
    from toolrag.agent.tokenizer import ChatTokenizer
    from toolrag.index.store import ToolIndex
    from toolrag.index.text import tool_text
    from toolrag.retriever.factory import make_retriever

    requests = [json.loads(line) for line in (DATA / "requests.jsonl").read_text().splitlines()]
    requests = requests[: args.limit] if args.limit else requests
    server_script = DATA / "toolset_server.py"
    with tempfile.TemporaryDirectory() as tmp:
        files = catalog_servers(Path(tmp))
        config = GatewayConfig.from_json(
            {
                "mcpServers": {
                    prefix: {"command": sys.executable, "args": [str(server_script), str(path)]}
                    for prefix, path in files.items()
                }
            }
        )
        gateway = Gateway(config, health_interval=60)
        start = time.perf_counter()
        async with gateway.running(wait=900):
            startup = time.perf_counter() - start
            down = [s for s, u in gateway.upstreams.items() if not u.up]
            if down:
                raise SystemExit(f"servers did not come up: {down}")
            catalog = gateway.catalog
            entries = list(catalog.entries.values())
            missing = {t for r in requests for t in r["tools"]} - set(catalog.entries)
            if missing:
                raise SystemExit(f"requests name tools not in the catalog: {sorted(missing)}")

            # BM25 over names and descriptions: what the MCP proxies index
            index = catalog.index
            template = index.manifest["text_template"]["dense"]
            reuse = {tool_text(t, template): index.embeddings[i] for i, t in enumerate(index.tools)}
            names_only = ToolIndex.build(index.all_tools(), bm25_template="name_desc", reuse=reuse)
            bm25 = make_retriever(names_only, "bm25")

            runs: dict[str, list[list[str]]] = {
                "bm25_name_desc": [],
                "hybrid": [],
                "search_tools": [],
            }
            search_json: list[list[dict]] = []
            for req in requests:
                q = req["query"]
                runs["bm25_name_desc"].append([h.tool.name for h in bm25.retrieve(q, k=5)])
                runs["hybrid"].append([h.name for h in catalog.search(q, 5, rerank=False)])
                hits = catalog.search(q, 5)
                runs["search_tools"].append([h.name for h in hits])
                search_json.append([_hit_json(h, catalog) for h in hits])
            quality = completeness(runs, requests)

            # tokens of tool definitions, with the planner's tokenizer
            tok = ChatTokenizer(packaged_folder(QWEN_CODER))

            def count(obj: Any) -> int:
                return len(tok(json.dumps(obj)).input_ids)

            every = count([e.definition() for e in entries])
            meta = count(
                [t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in META_TOOLS]
            )
            per_request = [meta + count(found) for found in search_json]
            tokens = {
                "catalog_tools": len(entries),
                "list_every_tool": every,
                "gateway_meta_tools": meta,
                "gateway_per_request_mean": round(statistics.mean(per_request), 1),
                "gateway_per_request_max": max(per_request),
                "reduction": round(1 - statistics.mean(per_request) / every, 4),
            }

            # latency through the MCP protocol (the SDK's client, in process)
            search_s: list[float] = []
            forwarded_s: list[float] = []
            direct_s: list[float] = []
            weather = [e for e in entries if e.server == "weather"][: args.call_tools]
            calls = [(e, made_up_arguments(e.listing["inputSchema"])) for e in weather]
            async with Client(gateway.server, mode="legacy", cache=None) as client:
                for req in requests:
                    t0 = time.perf_counter()
                    result = await client.call_tool("search_tools", {"query": req["query"], "k": 5})
                    search_s.append(time.perf_counter() - t0)
                    assert not result.is_error, result.content
                for i in range(args.calls):
                    entry, arguments = calls[i % len(calls)]
                    t0 = time.perf_counter()
                    result = await client.call_tool(
                        "call_tool", {"name": entry.name, "arguments": arguments}
                    )
                    forwarded_s.append(time.perf_counter() - t0)
                    assert not result.is_error, result.content
            params = StdioServerParameters(
                command=sys.executable, args=[str(server_script), str(files["weather"])]
            )
            async with stdio_client(params) as (r, w), ClientSession(r, w) as session:
                await session.initialize()
                await session.list_tools()
                for i in range(args.calls):
                    entry, arguments = calls[i % len(calls)]
                    t0 = time.perf_counter()
                    result = await session.call_tool(entry.upstream, arguments)
                    direct_s.append(time.perf_counter() - t0)
                    assert not result.is_error, result.content
            latency = {
                "search_tools_p50_ms": round(1000 * p(search_s, 0.5), 1),
                "search_tools_p95_ms": round(1000 * p(search_s, 0.95), 1),
                "call_tool_forwarded_p50_ms": round(1000 * p(forwarded_s, 0.5), 2),
                "call_tool_direct_p50_ms": round(1000 * p(direct_s, 0.5), 2),
                "forwarding_overhead_p50_ms": round(
                    1000 * (p(forwarded_s, 0.5) - p(direct_s, 0.5)), 2
                ),
                "searches": len(search_s),
                "calls": len(direct_s),
            }
    servers = Counter(e.server for e in entries)
    return {
        "catalog": {
            "tools": len(entries),
            "servers": len(servers),
            "sample_toolset_servers": sum(not s.startswith("seal_") for s in servers),
            "seal_tools_servers": sum(s.startswith("seal_") for s in servers),
            "startup_s": round(startup, 1),
        },
        "requests": {
            "n": len(requests),
            "needing_2_or_more_tools": sum(len(r["tools"]) > 1 for r in requests),
        },
        "quality": quality,
        "tokens": tokens,
        "latency": latency,
        "misses": [
            {"id": r["id"], "query": r["query"], "needed": r["tools"], "search_tools": found}
            for r, found in zip(requests, runs["search_tools"], strict=True)
            if not set(r["tools"]) <= set(found)
        ],
    }


def markdown(res: dict[str, Any]) -> str:
    c, r, q, t, lat = res["catalog"], res["requests"], res["quality"], res["tokens"], res["latency"]
    rows = [
        ("BM25 over names + descriptions (what MCP proxies index)", "bm25_name_desc"),
        ("gateway hybrid retrieval, without the selector", "hybrid"),
        ("**gateway `search_tools` (hybrid top 20, re-ordered by the selector)**", "search_tools"),
    ]
    lines = [
        "# MCP gateway: one server in front of many",
        "",
        f"{c['tools']} tools from {c['servers']} upstream MCP servers ({c['sample_toolset_servers']} "
        f"sample-toolset domains, {c['seal_tools_servers']} Seal-Tools fields as distractors), "
        f"each a real stdio server process the gateway started, listed and indexed "
        f"(up in {c['startup_s']} s). {r['n']} hand-written requests, "
        f"{r['needing_2_or_more_tools']} needing 2 or more tools; each needed tool is in the "
        "sample toolset.",
        "",
        "| retrieval (k = 5) | COMP@5 all | COMP@5 one tool | COMP@5 2+ tools | R@5 all |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, key in rows:
        v = q[key] | {k: {"comp@5": float("nan")} for k in ("single", "multi") if k not in q[key]}
        lines.append(
            f"| {label} | {v['all']['comp@5']:.3f} | {v['single']['comp@5']:.3f} | "
            f"{v['multi']['comp@5']:.3f} | {v['all']['recall@5']:.3f} |"
        )
    lines += [
        "",
        "Tool-definition tokens the agent receives (planner's tokenizer, Qwen2.5-Coder; JSON of "
        "name, description, inputSchema, outputSchema):",
        "",
        "| | tokens |",
        "| --- | ---: |",
        f"| listing every tool ({t['catalog_tools']}) | {t['list_every_tool']:,} |",
        f"| gateway: its 4 tools + one search_tools(k=5) result, mean per request | "
        f"{t['gateway_per_request_mean']:,.0f} (max {t['gateway_per_request_max']:,}) |",
        f"| reduction | {100 * t['reduction']:.1f}% |",
        "",
        "Latency through the MCP protocol (the SDK's client; the forwarded call goes client -> "
        "gateway -> stdio server, the direct one client -> the same server script):",
        "",
        "| | p50 ms |",
        "| --- | ---: |",
        f"| search_tools (p95 {lat['search_tools_p95_ms']} ms; {lat['searches']} requests) | "
        f"{lat['search_tools_p50_ms']} |",
        f"| call_tool forwarded by the gateway ({lat['calls']} calls) | {lat['call_tool_forwarded_p50_ms']} |",
        f"| the same call made directly | {lat['call_tool_direct_p50_ms']} |",
        f"| forwarding overhead | {lat['forwarding_overhead_p50_ms']} |",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N requests (smoke)")
    ap.add_argument("--calls", type=int, default=100, help="forwarded and direct calls each")
    ap.add_argument("--call-tools", type=int, default=3, help="tools the calls rotate over")
    ap.add_argument("--name", default="gateway", help="results/<name>.json and .md")
    args = ap.parse_args()
    res = anyio.run(measure, args)
    write_results(args.name, res, markdown(res))


if __name__ == "__main__":
    main()
