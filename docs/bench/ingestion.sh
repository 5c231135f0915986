#!/usr/bin/env bash
# Ingestion throughput end to end: POST /api/scrape → completed, on a generated N-page site.
# Needs `./concierge up` running. Usage: docs/bench/ingestion.sh [pages=2000] [port=8091]
# Registers a fresh tenant, serves the generated site with the demo store's server, crawls it with
# max_pages above N, and reports pages/s and chunks/s (chunks from GET /api/search/stats).
set -euo pipefail
cd "$(dirname "$0")/../.."
pages=${1:-2000}; port=${2:-8091}; site=$(mktemp -d)
admin=$(cat .concierge/admin-key)
python3 docs/bench/generate_site.py "$site" "$pages" "http://127.0.0.1:$port" >/dev/null
java -Xmx128m infra/demo-store/DemoStore.java --port "$port" --root "$site" >/dev/null 2>&1 &
store=$!; trap 'kill $store; rm -rf "$site"' EXIT
for _ in $(seq 1 40); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
domain="bench-$(date +%s).example"
tenant=$(curl -fsS -X POST http://127.0.0.1:8080/api/admin/tenants -H "Authorization: Bearer $admin" \
  -H 'Content-Type: application/json' -d "{\"domain\":\"$domain\",\"name\":\"Bench\",\"allowed_origins\":[]}")
key=$(echo "$tenant" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
start=$(date +%s.%N)
job=$(curl -fsS -X POST http://127.0.0.1:8080/api/scrape -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d "{\"domain\":\"$domain\",\"start_url\":\"http://127.0.0.1:$port/\",\"max_pages\":$((pages + 200)),\"max_depth\":50,\"recrawl_interval\":\"off\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
while :; do
  view=$(curl -fsS "http://127.0.0.1:8080/api/scrape/$job" -H "Authorization: Bearer $key")
  status=$(echo "$view" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  case "$status" in completed|failed|cancelled) break ;; esac
  sleep 1
done
end=$(date +%s.%N)
stats=$(curl -fsS "http://127.0.0.1:8080/api/search/stats?domain=$domain" -H "Authorization: Bearer $key")
python3 - "$start" "$end" "$view" "$stats" <<'PY'
import json, sys
start, end, view, stats = float(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
t = end - start
print(f"status {view['status']}: {view['pages_scraped']} pages scraped, {view['pages_indexed']} indexed, "
      f"{view['pages_failed']} failed, {stats['chunks']} chunks in {t:.1f} s "
      f"→ {view['pages_indexed'] / t:.1f} pages/s, {stats['chunks'] / t:.1f} chunks/s")
PY
