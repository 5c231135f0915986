#!/usr/bin/env python3
"""Retrieval quality of the demo store's question set, per retriever, through the gateway.

Needs a running platform with the demo store crawled (`./concierge up`). For every question of
infra/demo-store/questions.tsv that a page answers, asks GET /api/search (one hit per page, limit 10)
in each mode and scores the rank of the answering page: hit@1, hit@3 and MRR (reciprocal rank, 0 when
not in the top 10). Prints a Markdown table. Standard library only.
"""
import json
import pathlib
import sys
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
STATE = ROOT / ".concierge"
GATEWAY = "http://127.0.0.1:8080"


def main():
    tenant = json.loads((STATE / "demo-tenant.json").read_text())
    rows = [line.rstrip("\n").split("\t") for line in (ROOT / "infra/demo-store/questions.tsv").read_text().splitlines()[1:]]
    questions = [(q, path) for q, path, _ in rows if path != "-"]
    print(f"{len(questions)} questions, tenant {tenant['domain']}\n")
    print("| retriever | hit@1 | hit@3 | MRR |")
    print("|---|---|---|---|")
    for mode in ("vector", "full_text", "hybrid"):
        hit1 = hit3 = 0
        rr = 0.0
        for question, path in questions:
            url = f"{GATEWAY}/api/search?" + urllib.parse.urlencode(
                {"domain": tenant["domain"], "q": question, "limit": 10, "mode": mode})
            request = urllib.request.Request(url, headers={"Authorization": "Bearer " + tenant["api_key"]})
            results = json.load(urllib.request.urlopen(request, timeout=30))["results"]
            rank = next((i for i, r in enumerate(results) if urllib.parse.urlparse(r["url"]).path == path), None)
            if rank is not None:
                hit1 += rank == 0
                hit3 += rank < 3
                rr += 1 / (rank + 1)
        n = len(questions)
        print(f"| {mode} | {hit1}/{n} ({hit1 / n:.0%}) | {hit3}/{n} ({hit3 / n:.0%}) | {rr / n:.3f} |")


if __name__ == "__main__":
    sys.exit(main())
