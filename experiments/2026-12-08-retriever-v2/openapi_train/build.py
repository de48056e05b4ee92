"""Build the retriever's OpenAPI training toolset from public OpenAPI 3 specs.

The raw specs are NOT kept in the repository. Put each file listed in SOURCES (the file at
``path`` in ``repository`` at ``commit``, byte for byte, e.g. ``git show <commit>:<path>``) into a
folder under its local name, then run

    python experiments/2026-12-08-retriever-v2/openapi_train/build.py ../train_specs

It loads every spec with toolrag's own OpenAPI loader (``load_toolset``), keeps every operation
that has a description, names each tool ``<prefix>__<operationId>`` (non-word characters turned
into ``_``, at most 64 characters), and writes

- ``tools.json``: OpenAI-style function schemas ``{"name", "description", "parameters"}``,
  sorted by provider, then tool name, one tool per line;
- ``manifest.json``: repository, path, commit and sha256 of every spec, and the counts.

Deterministic: the same spec files give byte-identical outputs. A listed spec that is missing or
that the loader rejects is skipped and recorded under ``"failed"`` in the manifest.

Never add anything from the held-out catalogs in benchmarks/data/foreign_retrieval (see its README).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from toolrag.index.toolset import load_toolset

HERE = Path(__file__).resolve().parent

# local file, provider, tool-name prefix, repository, path in repository, commit
SOURCES = [
    (
        "amadeus-airline-code-lookup.json",
        "amadeus",
        "amadeus",
        "amadeus4dev/amadeus-open-api-specification",
        "spec/json/AirlineCodeLookUp_v1_swagger_specification.json",
        "d64e4c75f6f1a352824cddead504b3d582bc1b53",
    ),
    (
        "amadeus-airline-routes.json",
        "amadeus",
        "amadeus",
        "amadeus4dev/amadeus-open-api-specification",
        "spec/json/AirlineRoutes_v1_swagger_specification.json",
        "d64e4c75f6f1a352824cddead504b3d582bc1b53",
    ),
    (
        "amadeus-airport-routes.json",
        "amadeus",
        "amadeus",
        "amadeus4dev/amadeus-open-api-specification",
        "spec/json/AirportRoutes_v1_swagger_specification.json",
        "d64e4c75f6f1a352824cddead504b3d582bc1b53",
    ),
    (
        "amadeus-flight-price-analysis.json",
        "amadeus",
        "amadeus",
        "amadeus4dev/amadeus-open-api-specification",
        "spec/json/FlightPriceAnalysis_v1_swagger_specification.json",
        "d64e4c75f6f1a352824cddead504b3d582bc1b53",
    ),
    (
        "apideck-ats.yaml",
        "apideck",
        "apideck_ats",
        "apideck-libraries/openapi-specs",
        "ats.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-crm.yaml",
        "apideck",
        "apideck_crm",
        "apideck-libraries/openapi-specs",
        "crm.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-customer-support.yaml",
        "apideck",
        "apideck_support",
        "apideck-libraries/openapi-specs",
        "customer-support.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-ecommerce.yaml",
        "apideck",
        "apideck_ecommerce",
        "apideck-libraries/openapi-specs",
        "ecommerce.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-file-storage.yaml",
        "apideck",
        "apideck_files",
        "apideck-libraries/openapi-specs",
        "file-storage.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-hris.yaml",
        "apideck",
        "apideck_hris",
        "apideck-libraries/openapi-specs",
        "hris.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-issue-tracking.yaml",
        "apideck",
        "apideck_issues",
        "apideck-libraries/openapi-specs",
        "issue-tracking.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-lead.yaml",
        "apideck",
        "apideck_lead",
        "apideck-libraries/openapi-specs",
        "lead.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "apideck-sms.yaml",
        "apideck",
        "apideck_sms",
        "apideck-libraries/openapi-specs",
        "sms.yml",
        "fc186f740c8effdafc16f3a76af38ef0a500f6d1",
    ),
    (
        "coolify.yaml",
        "coolify",
        "coolify",
        "coollabsio/coolify",
        "openapi.yaml",
        "379abb252621f34b318190bd49b614aed9818716",
    ),
    (
        "discord.json",
        "discord",
        "discord",
        "discord/discord-api-spec",
        "specs/openapi.json",
        "74fda0fad044407ea280043a03ffc9bc64c4e49e",
    ),
    (
        "discourse.json",
        "discourse",
        "discourse",
        "discourse/discourse_api_docs",
        "openapi.json",
        "6737ac2ab31321c6e0dedb76dd2d02fb145b54cb",
    ),
    (
        "easyappointments.yaml",
        "easyappointments",
        "easyappointments",
        "alextselegidis/easyappointments",
        "openapi.yml",
        "e46b4c6befb88c8f00e0a1e0eecdaa0e9c6294fb",
    ),
    (
        "lago.yaml",
        "lago",
        "lago",
        "getlago/lago-openapi",
        "openapi.yaml",
        "120da1213306145141d3dd34022dd47a3216c911",
    ),
    (
        "mastodon.json",
        "mastodon",
        "mastodon",
        "abraham/mastodon-openapi",
        "dist/schema.json",
        "89b11e724f5015e232d160749e3b2fd4006e100d",
    ),
    (
        "openmeteo-air-quality.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/air-quality.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-climate.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/climate.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-elevation.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/elevation.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-ensemble.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/ensemble.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-flood.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/flood.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-forecast.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/forecast.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-historical-weather.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/historical-weather.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-marine.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/marine.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "openmeteo-seasonal.yaml",
        "openmeteo",
        "openmeteo",
        "open-meteo/open-meteo",
        "openapi/seasonal.yml",
        "ba13de1c0556938e317b7adc240d527f10ba4c94",
    ),
    (
        "ory-kratos.json",
        "ory",
        "ory_kratos",
        "ory/kratos",
        ".schema/api.openapi.json",
        "b86338da04a040247a07f46100a86dcfb3875909",
    ),
    (
        "outline.yaml",
        "outline",
        "outline",
        "outline/openapi",
        "spec3.yml",
        "4e050c29cb344dc0ae0a1971686e246211eb5a6c",
    ),
    (
        "paypal-disputes.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/customer_disputes_v1.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-invoicing.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/invoicing_v2.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-orders.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/checkout_orders_v2.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-payments.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/payments_payment_v2.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-payouts.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/payments_payouts_batch_v1.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-products.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/catalogs_products_v1.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-subscriptions.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/billing_subscriptions_v1.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-tracking.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/shipping_shipment_tracking_v1.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-transactions.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/reporting_transactions_v1.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-vault.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/vault_payment_tokens_v3.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "paypal-webhooks.json",
        "paypal",
        "paypal",
        "paypal/paypal-rest-api-specifications",
        "openapi/notifications_webhooks_v1.json",
        "ec4d8f36a6ab0abcc3865e1072aaddc85ea14d5c",
    ),
    (
        "pokeapi.yaml",
        "pokeapi",
        "pokeapi",
        "PokeAPI/pokeapi",
        "openapi.yml",
        "bbef3d99ddfa8277f726414c89b471267aef8a8e",
    ),
    (
        "qdrant.json",
        "qdrant",
        "qdrant",
        "qdrant/qdrant",
        "docs/redoc/master/openapi.json",
        "74f3e85b9473c62560006c043e13737ce6b48412",
    ),
    (
        "resend.yaml",
        "resend",
        "resend",
        "resend/resend-openapi",
        "resend.yaml",
        "fd6f395f2114e13806025f0c330921c901d62bb1",
    ),
    (
        "sentry.json",
        "sentry",
        "sentry",
        "getsentry/sentry-api-schema",
        "openapi-derefed.json",
        "a589a26c3b29bfc342a47baa963b7970961f958e",
    ),
    (
        "typesense.yaml",
        "typesense",
        "typesense",
        "typesense/typesense-api-spec",
        "openapi.yml",
        "9963d6cebcbe42702048e27ab3c0ea6b325eb952",
    ),
]

# Providers whose specs are in the held-out foreign retrieval catalogs: never train on them.
EXCLUDED = (
    "asana",
    "box",
    "googlemaps",
    "google_maps",
    "intercom",
    "netlify",
    "pagerduty",
    "spotify",
    "square",
    "twilio",
    "xero",
    "sendgrid",
    "hubspot",
    "docusign",
    "plaid",
    "bigcommerce",
    "okta",
    "vikunja",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tool_name(prefix: str, name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", f"{prefix}__{name}")[:64]


def build(spec_dir: Path) -> tuple[list[dict], dict]:
    rows, specs, failed = [], [], []
    owner = {}  # tool name -> local file, to catch collisions across specs
    for local, provider, prefix, repo, path, commit in SOURCES:
        lowered = f"{provider} {prefix} {repo}".lower()
        if any(x in lowered for x in EXCLUDED):
            raise SystemExit(f"{local}: provider {provider!r} is held out for evaluation")
        file = spec_dir / local
        if not file.is_file():
            failed.append({"file": local, "repository": repo, "path": path, "error": "missing"})
            continue
        try:
            tools = load_toolset([file], on_duplicate="keep-first")
        except Exception as err:  # the loader rejects the spec: skip it, say why
            failed.append(
                {
                    "file": local,
                    "repository": repo,
                    "path": path,
                    "error": f"{type(err).__name__}: {str(err)[:300]}",
                }
            )
            continue
        kept = no_desc = 0
        for tool in tools:
            fn = tool.to_openai()["function"]
            # a path parameter and a body field of the same name are listed twice by the loader
            required = fn["parameters"].get("required")
            if required:
                fn["parameters"]["required"] = list(dict.fromkeys(required))
            if not fn["description"].strip():
                no_desc += 1
                continue
            name = tool_name(prefix, fn["name"])
            if name in owner:
                raise SystemExit(f"tool name {name!r} from {local} already used by {owner[name]}")
            owner[name] = local
            rows.append((provider, name, {**fn, "name": name}))
            kept += 1
        specs.append(
            {
                "provider": provider,
                "file": local,
                "repository": repo,
                "path": path,
                "commit": commit,
                "sha256": sha256(file),
                "operations": len(tools),
                "skipped_no_description": no_desc,
                "tools": kept,
            }
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    per_provider: dict[str, int] = {}
    for provider, _, _ in rows:
        per_provider[provider] = per_provider.get(provider, 0) + 1
    manifest = {
        "what": "Training tools for the dense tool retriever, one per operation of public "
        "OpenAPI 3 specs (see README.md). Not evaluation data.",
        "specs": specs,
        "failed": failed,
        "tools_per_provider": per_provider,
        "total_tools": len(rows),
    }
    return [fn for _, _, fn in rows], manifest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("spec_dir", type=Path, help="folder holding the spec files named in SOURCES")
    ap.add_argument("--tools", type=Path, default=HERE / "tools.json")
    ap.add_argument("--manifest", type=Path, default=HERE / "manifest.json")
    args = ap.parse_args()
    tools, manifest = build(args.spec_dir)
    manifest["tools_json_sha256"] = None
    # one tool per line: half the size of an indented file (some schemas are huge), still diffable
    text = "[\n" + ",\n".join(json.dumps(t, ensure_ascii=False) for t in tools) + "\n]\n"
    args.tools.write_text(text, encoding="utf-8")
    manifest["tools_json_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    args.manifest.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for provider, n in manifest["tools_per_provider"].items():
        print(f"{provider:18} {n:5}")
    print(f"{'total':18} {manifest['total_tools']:5}")
    for f in manifest["failed"]:
        print(f"FAILED {f['file']}: {f['error']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
