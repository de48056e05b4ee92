"""Validate the held-out foreign retrieval catalogs and their manifests.

    python benchmarks/data/foreign_retrieval/check.py          # check every catalog
    python benchmarks/data/foreign_retrieval/check.py --write  # refresh counts and sha256s

Each catalog folder holds tools.json (OpenAI-style function schemas),
queries.jsonl ({"id", "query", "tools"}) and manifest.json. Checks: names unique
and [A-Za-z0-9_]{1,64}; every parameters block is a valid JSON Schema object;
every query's tools exist, are distinct and number 1-4; ids unique; >= 300 tools;
at least a third of the queries need 2+ tools; the manifest's counts and sha256s
match the files.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
TYPES = {"string", "integer", "number", "boolean", "array", "object", "null"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_schema(node, where, errors):
    if not isinstance(node, dict):
        errors.append(f"{where}: schema is not an object")
        return
    t = node.get("type")
    if t is not None and (t not in TYPES if isinstance(t, str) else not set(t) <= TYPES):
        errors.append(f"{where}: bad type {t!r}")
    if "properties" in node:
        if not isinstance(node["properties"], dict):
            errors.append(f"{where}: properties is not an object")
        else:
            for k, v in node["properties"].items():
                check_schema(v, f"{where}.{k}", errors)
    if "required" in node:
        req = node["required"]
        if not isinstance(req, list) or not all(isinstance(r, str) for r in req):
            errors.append(f"{where}: required is not a list of strings")
        elif not set(req) <= set(node.get("properties", {})):
            errors.append(f"{where}: required names missing from properties")
    if "items" in node:
        check_schema(node["items"], f"{where}[]", errors)
    if "enum" in node and not isinstance(node["enum"], list):
        errors.append(f"{where}: enum is not a list")


def check_catalog(folder: Path, write: bool) -> list[str]:
    errors: list[str] = []
    tools = json.loads((folder / "tools.json").read_text(encoding="utf-8"))
    names = set()
    for t in tools:
        n = t.get("name", "")
        if not NAME.match(n):
            errors.append(f"bad tool name {n!r}")
        if n in names:
            errors.append(f"duplicate tool name {n}")
        names.add(n)
        if not isinstance(t.get("description"), str) or not t["description"].strip():
            errors.append(f"{n}: empty description")
        p = t.get("parameters")
        if not isinstance(p, dict) or p.get("type") != "object" or "properties" not in p:
            errors.append(f"{n}: parameters is not an object schema")
        else:
            check_schema(p, n, errors)
    try:
        import jsonschema  # optional: the metaschema check when available

        for t in tools:
            jsonschema.Draft7Validator.check_schema(t["parameters"])
    except ImportError:
        pass
    except Exception as exc:
        errors.append(f"metaschema: {exc}")
    queries = [
        json.loads(line)
        for line in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    ids, texts = set(), set()
    for q in queries:
        if q["id"] in ids:
            errors.append(f"duplicate id {q['id']}")
        ids.add(q["id"])
        if q["query"].strip().lower() in texts:
            errors.append(f"duplicate query text {q['id']}")
        texts.add(q["query"].strip().lower())
        if not 1 <= len(q["tools"]) <= 4 or len(set(q["tools"])) != len(q["tools"]):
            errors.append(f"{q['id']}: needs 1-4 distinct tools, has {q['tools']}")
        for n in q["tools"]:
            if n not in names:
                errors.append(f"{q['id']}: unknown tool {n}")
    multi = sum(len(q["tools"]) >= 2 for q in queries)
    used = {n for q in queries for n in q["tools"]}
    counts = {
        "tools": len(tools),
        "queries": len(queries),
        "queries_multi_tool": multi,
        "share_multi_tool": round(multi / max(1, len(queries)), 3),
        "tools_needed_by_some_query": len(used),
    }
    if len(tools) < 300:
        errors.append(f"only {len(tools)} tools")
    if multi * 3 < len(queries):
        errors.append(f"only {multi}/{len(queries)} queries need 2+ tools")
    mpath = folder / "manifest.json"
    manifest = json.loads(mpath.read_text(encoding="utf-8")) if mpath.exists() else {}
    hashes = {
        "tools.json": sha256(folder / "tools.json"),
        "queries.jsonl": sha256(folder / "queries.jsonl"),
    }
    if write:
        manifest["counts"] = counts
        manifest["sha256"] = hashes
        mpath.write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    else:
        if manifest.get("counts") != counts:
            errors.append(f"manifest counts {manifest.get('counts')} != {counts}")
        if manifest.get("sha256") != hashes:
            errors.append("manifest sha256 does not match the files")
        for key in ("name", "description", "source", "note"):
            if key not in manifest:
                errors.append(f"manifest lacks {key}")
    print(f"{folder.name}: {counts}")
    return errors


def main() -> int:
    write = "--write" in sys.argv
    bad = 0
    for folder in sorted(p for p in HERE.iterdir() if (p / "tools.json").exists()):
        errors = check_catalog(folder, write)
        for e in errors[:30]:
            print(f"  {folder.name}: {e}")
        bad += len(errors)
    print("OK" if not bad else f"{bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
