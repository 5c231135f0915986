#!/usr/bin/env python3
"""Chat latency through the gateway: N concurrent sessions asking the demo store's questions for D seconds.

    docs/bench/chat_load.py [--sessions 50] [--seconds 120] [--think 0] [--auth widget|api]
                            [--gateway http://127.0.0.1:8080] [--origin http://127.0.0.1:8090]

Needs `./concierge up` (the demo tenant crawled; its widget key is read from .concierge/demo-tenant.json).
Each session is a thread with its own keep-alive connection that asks a question, waits for the answer
and asks the next (closed loop, no think time), cycling through infra/demo-store/questions.tsv from its own
offset (after --think seconds); every 4th turn starts a new session id, so conversations stay short like
real ones. `--auth widget` sends the widget key with the demo store's Origin, as the browser widget does
(then the per-client-IP limit of the tenant's plan applies: one load generator is one IP); `--auth api`
sends the tenant's api_key server to server (only the tenant bucket applies; give the tenant the `pro`
plan for a load test). Reports
p50/p95/p99 latency, throughput and errors, and, from the services' Prometheus timers scraped before and
after the run, how the time of an answer splits into retrieval (chat → search over HTTP), query
embedding and vector/full-text search inside search-service, and persistence (conversation + messages).
Standard library only.
"""
import argparse
import http.client
import json
import pathlib
import statistics
import threading
import time
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_questions():
    rows = (ROOT / "infra/demo-store/questions.tsv").read_text().splitlines()[1:]
    return [r.split("\t")[0] for r in rows if r.strip()]


def prometheus(url):
    """Sum and count of every *_seconds timer, by name and tags, from a Prometheus text page."""
    out = {}
    try:
        text = urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        return out
    for line in text.splitlines():
        if line.startswith("#") or "_seconds_" not in line:
            continue
        name, _, value = line.rpartition(" ")
        if name.split("{")[0].endswith(("_seconds_sum", "_seconds_count")):
            out[name] = float(value)
    return out


def timer_delta(before, after, metric, **tags):
    """(seconds, count) spent in a timer between two scrapes, summed over series matching the tags."""
    total, count = 0.0, 0.0
    for key, value in after.items():
        base = key.split("{")[0]
        if base not in (metric + "_seconds_sum", metric + "_seconds_count"):
            continue
        if any(f'{k}="{v}"' not in key for k, v in tags.items()):
            continue
        delta = value - before.get(key, 0.0)
        if base.endswith("_sum"):
            total += delta
        else:
            count += delta
    return total, count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--gateway", default="http://127.0.0.1:8080")
    ap.add_argument("--origin", default="http://127.0.0.1:8090", help="an allowed origin of the tenant (widget auth)")
    ap.add_argument("--auth", choices=["widget", "api"], default="widget")
    ap.add_argument("--think", type=float, default=0.0, help="seconds a session waits between answer and next question")
    ap.add_argument("--chat", default="http://127.0.0.1:8081", help="chat-service, for its metrics")
    ap.add_argument("--search", default="http://127.0.0.1:8082", help="search-service, for its metrics")
    args = ap.parse_args()

    tenant = json.loads((ROOT / ".concierge/demo-tenant.json").read_text())
    questions = load_questions()
    gateway = urllib.parse.urlparse(args.gateway)
    if args.auth == "widget":
        auth_headers = {"X-Widget-Key": tenant["widget_key"], "Origin": args.origin}
    else:
        auth_headers = {"Authorization": "Bearer " + tenant["api_key"]}
    latencies, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + args.seconds

    def session(n):
        conn = http.client.HTTPConnection(gateway.hostname, gateway.port, timeout=30)
        turn = 0
        while time.monotonic() < deadline:
            body = json.dumps({"message": questions[(n * 7 + turn) % len(questions)],
                               "session_id": f"load-{n}-{turn // 4}", "domain": tenant["domain"]})
            headers = {"Content-Type": "application/json", **auth_headers}
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/chat", body, headers)
                resp = conn.getresponse()
                payload = resp.read()
                elapsed = time.perf_counter() - start
                with lock:
                    if resp.status == 200:
                        latencies.append(elapsed)
                    else:
                        errors.append(f"{resp.status} {payload[:200]!r}")
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(repr(e))
                conn.close()
                conn = http.client.HTTPConnection(gateway.hostname, gateway.port, timeout=30)
            turn += 1
            if args.think:
                time.sleep(args.think)
        conn.close()

    chat_before, search_before = prometheus(args.chat + "/actuator/prometheus"), prometheus(args.search + "/actuator/prometheus")
    threads = [threading.Thread(target=session, args=(n,)) for n in range(args.sessions)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    chat_after, search_after = prometheus(args.chat + "/actuator/prometheus"), prometheus(args.search + "/actuator/prometheus")

    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100) if len(ms) >= 2 else [float("nan")] * 99
    print(f"{args.sessions} sessions (think {args.think:g} s, {args.auth} auth), {wall:.0f} s: {len(ms)} answers, {len(errors)} errors, "
          f"{len(ms) / wall:.1f} answers/s")
    print(f"latency p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {ms[-1] if ms else float('nan'):.1f} ms")
    for e in errors[:5]:
        print("  error:", e)

    answer_s, answers = timer_delta(chat_before, chat_after, "concierge_chat_answer")
    if answers:
        print(f"inside chat-service, per answer (mean of {answers:.0f}):")
        for label, metric, tags in [
            ("whole answer", "concierge_chat_answer", {}),
            ("retrieval (HTTP to search-service)", "concierge_chat_retrieval", {}),
            ("persistence (conversation + messages)", "concierge_chat_persistence", {}),
        ]:
            s, c = timer_delta(chat_before, chat_after, metric, **tags)
            print(f"  {label:40s} {1000 * s / answers:7.2f} ms  ({100 * s / answer_s:4.1f}% of the answer)")
        for label, metric in [("query embedding", "concierge_search_embedding"),
                              ("vector + full-text queries", "concierge_search_database")]:
            s, c = timer_delta(search_before, search_after, metric)
            if c:
                print(f"  {'  in search: ' + label:40s} {1000 * s / answers:7.2f} ms  ({100 * s / answer_s:4.1f}% of the answer)")
    else:
        print("(no chat-service timers found: per-stage shares not available)")


if __name__ == "__main__":
    main()
