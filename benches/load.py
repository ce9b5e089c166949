#!/usr/bin/env python3
"""Load test for a running Reintegra server (standard library only).

Mints tokens with the `reintegra` binary, then sends a mix of partner
queries from several threads for a fixed number of requests and prints
throughput and latency percentiles per query. Bounded in count and time;
targets loopback only.

    python3 benches/load.py --binary target/release/reintegra \
        --url http://127.0.0.1:8080/graphql --requests 2000 --concurrency 8
"""
import argparse, json, os, statistics, subprocess, threading, time, urllib.request

QUERIES = {
    "labour list 50 (nested origin, consents)": ("MINTRAB", "labour_officer",
        "{ migrants(first: 50) { totalCount edges { node { id givenNames familyNames "
        "originMunicipality { name department { name } } skills { occupations } "
        "consents { purpose institution { code } } } } } }"),
    "iom name search": ("IOM", "iom_caseworker",
        "{ migrants(first: 20, filter: {name: \"lopez\"}) { totalCount edges { node { id givenNames arrivals { arrivedAt } } } } }"),
    "minex window list 100": ("MINEX", "foreign_affairs_officer",
        "{ migrants(first: 100) { edges { node { id givenNames health { needsMedicalAttention } assistance { kind } } } } }"),
    "me": ("USAC", "university_officer", "{ me { role readableSlices } }"),
}


def token(binary, inst, role):
    out = subprocess.run([binary, "token", "--institution", inst, "--role", role, "--subject", f"load@{inst}", "--ttl", "1h"],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def worker(url, jobs, results, lock, deadline):
    while time.time() < deadline:
        with lock:
            if not jobs:
                return
            name, tok, query = jobs.pop()
        body = json.dumps({"query": query}).encode()
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", "Authorization": f"Bearer {tok}"})
        start = time.perf_counter()
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = json.loads(resp.read())
        elapsed = time.perf_counter() - start
        ok = "errors" not in payload
        with lock:
            results.setdefault(name, []).append((elapsed, ok))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", default="target/release/reintegra")
    p.add_argument("--url", default="http://127.0.0.1:8080/graphql")
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--max-seconds", type=int, default=300)
    a = p.parse_args()
    host = a.url.split("//", 1)[1].split("/", 1)[0].split(":")[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        raise SystemExit("load tests target this machine only (loopback)")
    tokens = {(i, r): token(a.binary, i, r) for i, r, _ in QUERIES.values()}
    names = list(QUERIES)
    jobs = [(n, tokens[QUERIES[n][:2]], QUERIES[n][2]) for k in range(a.requests) for n in [names[k % len(names)]]]
    results, lock = {}, threading.Lock()
    deadline = time.time() + a.max_seconds
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(a.url, jobs, results, lock, deadline)) for _ in range(a.concurrency)]
    for t in threads: t.start()
    for t in threads: t.join()
    total = time.perf_counter() - start
    done = sum(len(v) for v in results.values())
    print(f"{done} requests in {total:.1f}s with {a.concurrency} clients: {done / total:.0f} req/s")
    for name, samples in results.items():
        lat = sorted(s[0] * 1000 for s in samples)
        errors = sum(1 for s in samples if not s[1])
        q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))]
        print(f"  {name:45s} n={len(lat):5d} p50={q(0.5):7.1f}ms p95={q(0.95):7.1f}ms p99={q(0.99):7.1f}ms errors={errors}")


if __name__ == "__main__":
    main()
