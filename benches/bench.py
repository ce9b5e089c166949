#!/usr/bin/env python3
"""Reintegra benchmark: the API against the same work done straight in SQL.

One command seeds N synthetic people on SQLite or PostgreSQL, starts a
release `reintegra serve`, drives it with wrk (installed from Debian's
packages when missing), then runs the equivalent SQL straight against the
same database in the same run (`benches/direct_sql.rs`: the very queries
the API sends, built by the same library code, from as many connections,
with no HTTP, JWT, GraphQL or audit) and prints, per scenario, requests/s, p50, p99 and the
ratio API / direct SQL.

    python3 benches/bench.py --backend sqlite --people 100000
    python3 benches/bench.py --backend postgres --people 1000000 --duration 15

Loopback only; nothing leaves the machine. See the README, "Performance".
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "reintegra")
PORT = 18080
URL = f"http://127.0.0.1:{PORT}/graphql"
PG_ADMIN = os.environ.get("REINTEGRA_BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")

LIST = ("{ migrants(first: 20) { edges { node { id givenNames familyNames "
        "originMunicipality { name department { name } } consents { institution { code } purpose } } } } }")
LIST_COUNT = LIST.replace("{ migrants(first: 20) {", "{ migrants(first: 20) { totalCount", 1)
MINEX = ("{ migrants(first: 20) { edges { node { id givenNames familyNames "
         "health { needsMedicalAttention } } } } }")
SEARCH = ("{ migrants(first: 20, filter: {name: \"lopez garcia\"}) { edges { node { id givenNames "
          "familyNames } } } }")
BY_ID = "query($id: ID!) { migrant(id: $id) { id givenNames familyNames phone } }"
MATCHES = ("query($v: ID!) { vacancyMatches(vacancyId: $v, first: 20) { edges { node { score "
           "reasons { kind points } migrant { id givenNames familyNames } } } } }")


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk not found: installing it from Debian's packages", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "install", "-y", "wrk"], check=False)
    if not shutil.which("wrk"):
        subprocess.run(sudo + ["apt-get", "update"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "wrk"], check=True)


def database_url(backend, people, workdir):
    if backend == "sqlite":
        return os.path.join(workdir, f"bench-{people}.db")
    return PG_ADMIN.rsplit("/", 1)[0] + f"/reintegra_bench_{people}"


def reset_database(backend, url):
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(url + suffix):
                os.remove(url + suffix)
        return
    name = url.rsplit("/", 1)[1]
    subprocess.run(["psql", PG_ADMIN, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run(["psql", PG_ADMIN, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def seed(url, people):
    env = dict(os.environ, REINTEGRA_DATABASE_URL=url)
    started = time.time()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "maxrss_kb=%M", BINARY, "seed", "--demo", str(people)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"seed failed: {err}")
    rss = re.search(r"maxrss_kb=(\d+)", err)
    return time.time() - started, int(rss.group(1)) // 1024 if rss else None, out.strip().splitlines()[-1]


def serve(url):
    # The pool keeps its default size (two per core plus two) unless
    # REINTEGRA_DB_POOL_SIZE is set.
    env = dict(os.environ, REINTEGRA_DATABASE_URL=url, REINTEGRA_BIND=f"127.0.0.1:{PORT}",
               REINTEGRA_RATE_LIMIT_PER_MINUTE="100000000", REINTEGRA_LOG="warn")
    log = open(os.path.join(tempfile.gettempdir(), "reintegra-bench-serve.log"), "w")
    proc = subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=log)
    for _ in range(600):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=1).status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not become ready")


def token(inst, role):
    out = subprocess.run([BINARY, "token", "--institution", inst, "--role", role,
                          "--subject", f"bench@{inst.lower()}", "--ttl", "2h"],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def gql(tok, query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(URL, data=body, headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {tok}"})
    return json.load(urllib.request.urlopen(req, timeout=60))


COMMON = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
errors = 0
offset = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
first_error = ""
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors":[{', 1, true) then
    errors = errors + 1
    if first_error == "" then first_error = string.sub(body, 1, 300) end
  end
  if learn then learn(body) end
end
function done(summary, latency, requests)
  local e, sample = 0, ""
  for _, t in ipairs(threads) do
    e = e + (t:get("errors") or 0)
    if sample == "" then sample = t:get("first_error") or "" end
  end
  io.write("answers with errors: " .. e .. " first: " .. sample .. "\\n")
end
"""


def lua_static(tok, body):
    return COMMON % {"token": tok} + f"wrk.body = {json.dumps(json.dumps(body))}\n"


LUA_UPDATE = """
local ids = { %(ids)s }
local versions = { %(versions)s }
local per_thread = %(per_thread)d
local n = 0
function request()
  n = n + 1
  local k = offset * per_thread + (n %% per_thread) + 1
  local q = '{"query":"mutation { u' .. k .. ': updateMigrant(id: \\\\"' .. ids[k] .. '\\\\", expectedVersion: ' ..
    versions[k] .. ', input: {skills: {yearsExperience: ' .. (n %% 30) .. '}}) { version } }"}'
  return wrk.format(nil, nil, nil, q)
end
-- The alias names the record, so each answer (or conflict) sets its version.
function learn(body)
  local k, v = string.match(body, '"u(%%d+)":{"version":(%%d+)}')
  if not k then
    v, k = string.match(body, 'at version (%%d+).-"path":%%["u(%%d+)"%%]')
  end
  if k then versions[tonumber(k)] = tonumber(v) end
end
"""

LUA_MANIFEST = """
local flights = { %(flights)s }
local per_thread = %(per_thread)d
local n = 0
-- Names hold letters only: numbers are spelled in base 26.
local function letters(x)
  local out = ""
  repeat
    out = string.char(97 + x %% 26) .. out
    x = math.floor(x / 26)
  until x == 0
  return out
end
local tag = letters(os.time())
function request()
  n = n + 1
  local flight = flights[offset * per_thread + (n %% per_thread) + 1]
  local rows = {}
  for i = 1, 150 do
    rows[i] = string.format('{"line":%%d,"givenNames":"Bench","familyNames":"T%%s O%%s N%%s L%%s","birthDate":"1990-01-%%02d","sex":"MALE","municipalityCode":"0101","usState":"TX","monthsInUs":"12"}',
      i, tag, letters(offset), letters(n), letters(i), (i %% 28) + 1)
  end
  local q = '{"query":"mutation($f: ID!, $r: [ManifestRowInput!]!) { importManifest(flightId: $f, rows: $r) { accepted { line } errors { line } } }","variables":{"f":"' ..
    flight .. '","r":[' .. table.concat(rows, ",") .. ']}}'
  return wrk.format(nil, nil, nil, q)
end
"""


def run_wrk(script, duration, connections, threads, name="bench"):
    path = os.path.join(tempfile.gettempdir(), f"reintegra-{name}.lua")
    with open(path, "w") as f:
        f.write(script)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "60s",
                          "-s", path, URL], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"answers with errors: (\d+) first: (.*)", out)
    if errors and int(errors.group(1)):
        print(f"  warning: {errors.group(1)} answers carried errors, e.g. {errors.group(2)}", flush=True)
    lat = {p: parse_ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M)}
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99")}


def parse_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def fixtures(tokens):
    """Ids and flights the dynamic scenarios need, taken through the API."""
    admin = tokens["IOM"]
    page = gql(admin, "{ migrants(first: 100) { edges { node { id version } } } }")
    nodes = [e["node"] for e in page["data"]["migrants"]["edges"]]
    ids, versions = [n["id"] for n in nodes], [n["version"] for n in nodes]
    flights = []
    stamp = int(time.time())
    for i in range(300):
        q = ("mutation($i: ScheduleFlightInput!) { scheduleFlight(input: $i) { id } }")
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        r = gql(admin, q, {"i": {"code": f"BN{stamp % 100000}{i:03d}", "originAirport": "AEX", "scheduledAt": at}})
        flights.append(r["data"]["scheduleFlight"]["id"])
    return ids, versions, flights


def open_vacancy(tok):
    """One open MINTRAB vacancy with candidates: the first of the busiest ISCO-08 group."""
    q = ('{ jobVacancies(first: 50, filter: {status: OPEN, postedBy: "MINTRAB"}) '
         '{ edges { node { id occupation { code } } } } }')
    nodes = [e["node"] for e in gql(tok, q)["data"]["jobVacancies"]["edges"]]
    codes = [n["occupation"]["code"][:2] for n in nodes]
    busiest = max(set(codes), key=codes.count)
    return next(n["id"] for n in nodes if n["occupation"]["code"].startswith(busiest))


def scenarios(tokens, ids, versions, flights, vacancy, threads):
    lab, minex, iom = tokens["MINTRAB"], tokens["MINEX"], tokens["IOM"]
    per_id, per_flight = len(ids) // threads, len(flights) // threads
    return [
        ("MINTRAB list", lua_static(lab, {"query": LIST}), "mintrab_list"),
        ("MINTRAB list + totalCount", lua_static(lab, {"query": LIST_COUNT}), "mintrab_count"),
        ("MINEX window list", lua_static(minex, {"query": MINEX}), "minex_list"),
        ("IOM name search", lua_static(iom, {"query": SEARCH}), "iom_search"),
        ("migrant(id)", lua_static(iom, {"query": BY_ID, "variables": {"id": ids[0]}}), "by_id"),
        ("updateMigrant", COMMON % {"token": iom} + LUA_UPDATE % {
            "ids": ", ".join(f'"{i}"' for i in ids), "versions": ", ".join(map(str, versions)),
            "per_thread": per_id}, "update"),
        ("MINTRAB vacancyMatches (20)", lua_static(lab, {"query": MATCHES, "variables": {"v": vacancy}}),
         "vacancy_matches"),
        ("MINTRAB vacancyMatches (20) + totalCount",
         lua_static(lab, {"query": MATCHES.replace("{ edges", "{ totalCount edges", 1), "variables": {"v": vacancy}}),
         "vacancy_matches_count"),
        ("150-line manifest import", COMMON % {"token": iom} + LUA_MANIFEST % {
            "flights": ", ".join(f'"{f}"' for f in flights), "per_thread": per_flight}, "manifest"),
    ]


def direct_sql(url, key, ids, vacancy, duration, connections):
    out = subprocess.run(["cargo", "bench", "--quiet", "--bench", "direct_sql", "--", "--url", url,
                          "--scenario", key, "--ids", ",".join(ids), "--vacancy", vacancy,
                          "--seconds", str(duration),
                          "--threads", str(connections)],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        status = f.read()
    return {k: int(re.search(rf"{k}:\s+(\d+)", status).group(1)) // 1024 for k in ("VmRSS", "VmHWM")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--people", type=int, default=10000)
    ap.add_argument("--duration", type=int, default=10, help="seconds per scenario and side")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="keep an existing seeded database")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--only", help="comma-separated scenario keys (mintrab_list, mintrab_count, ...)")
    a = ap.parse_args()
    ensure_wrk()
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        subprocess.run(["cargo", "bench", "--quiet", "--bench", "direct_sql", "--no-run"], cwd=ROOT, check=True)
    workdir = os.path.join(ROOT, "target", "bench")
    os.makedirs(workdir, exist_ok=True)
    url = database_url(a.backend, a.people, workdir)
    if not (a.reuse and (a.backend == "postgres" or os.path.exists(url))):
        reset_database(a.backend, url)
        secs, rss, line = seed(url, a.people)
        print(f"seed: {line} (wall {secs:.1f}s, max RSS {rss} MB)", flush=True)
        if a.backend == "postgres":
            # The load leaves gigabytes of dirty buffers; without this the
            # checkpoint that writes them lands in the first scenario (at 1M
            # its p99 was 134 ms, and 50 ms when run again).
            subprocess.run(["psql", url, "-qc", "CHECKPOINT"], check=True)
    server = serve(url)
    try:
        tokens = {inst: token(inst, role) for inst, role in
                  [("MINTRAB", "labour_officer"), ("MINEX", "foreign_affairs_officer"), ("IOM", "iom_caseworker")]}
        ids, versions, flights = fixtures(tokens)
        vacancy = open_vacancy(tokens["MINTRAB"])
        rows = []
        for name, script, key in scenarios(tokens, ids, versions, flights, vacancy, a.threads):
            if a.only and key not in a.only.split(","):
                continue
            api = run_wrk(script, a.duration, a.connections, a.threads)
            api["rss"] = rss_mb(server.pid)["VmRSS"]
            direct = direct_sql(url, key, ids, vacancy, a.duration, a.connections)
            rows.append((name, api, direct))
            print(f"{name}: API {api['rps']:.0f} req/s, SQL {direct['rps']:.0f}/s", flush=True)
        mixed = None
        if not a.only or "list_under_matches" in a.only.split(","):
            mixed = list_under_matches(tokens, vacancy, a)
        mem = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{a.backend}, {a.people} people, {a.connections} connections, {a.duration}s per run; "
          f"serve RSS {mem['VmRSS']} MB (peak {mem['VmHWM']} MB)\n")
    print("| scenario | API req/s | API p50 ms | API p99 ms | SQL /s | SQL p50 ms | SQL p99 ms | API ÷ SQL | serve RSS MB after |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, api, sql in rows:
        ratio = api["rps"] / sql["rps"] if sql["rps"] else float("nan")
        print(f"| {name} | {api['rps']:.0f} | {api['p50']:.1f} | {api['p99']:.1f} | {sql['rps']:.0f} | "
              f"{sql['p50']:.1f} | {sql['p99']:.1f} | {ratio:.0%} | {api['rss']} |")
    if mixed:
        (lst, heavy), heavy_conns = mixed, max(1, a.connections // 4)
        print(f"\nMINTRAB list from {a.connections - heavy_conns} connections while {heavy_conns} run "
              f"vacancyMatches + totalCount: list {lst['rps']:.0f} req/s (p50 {lst['p50']:.1f}, "
              f"p99 {lst['p99']:.1f} ms); matches {heavy['rps']:.1f} req/s (p50 {heavy['p50']:.0f}, "
              f"p99 {heavy['p99']:.0f} ms)")


def list_under_matches(tokens, vacancy, a):
    """The list's rate and latency while a quarter of the connections run a
    match list with totalCount (seconds a request at 1M): what the heavy
    lane (db::run_heavy) protects. No direct-SQL side."""
    lab = tokens["MINTRAB"]
    matches = lua_static(lab, {"query": MATCHES.replace("{ edges", "{ totalCount edges", 1),
                               "variables": {"v": vacancy}})
    heavy_conns = max(1, a.connections // 4)
    out = {}
    worker = threading.Thread(target=lambda: out.__setitem__(
        "heavy", run_wrk(matches, a.duration + 2, heavy_conns, 1, "matches")))
    worker.start()
    listed = run_wrk(lua_static(lab, {"query": LIST}), a.duration, a.connections - heavy_conns,
                     a.threads, "list")
    worker.join()
    print(f"MINTRAB list under match counts: API {listed['rps']:.0f} req/s", flush=True)
    return listed, out["heavy"]


if __name__ == "__main__":
    main()
