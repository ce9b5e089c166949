"""The direct-SQL side of benches/bench.py: for each scenario, the statements
the API sends for one request, run straight against the same database with
the same concurrency — pgbench (prepared statements) on PostgreSQL, a
threaded sqlite3 client on SQLite. This is the ceiling the API is measured
against; it does no HTTP, no JWT, no GraphQL, no audit.
"""
import datetime, glob, os, sqlite3, statistics, subprocess, tempfile, threading, time, uuid

MIGRANT_PAGE = "SELECT * FROM migrants WHERE {where} ORDER BY created_at, id LIMIT 21"


def consent_scope(now):
    return ("do_not_share = false AND EXISTS (SELECT 1 FROM consents c WHERE c.institution_code = 'MINTRAB' "
            "AND c.purpose = 'EMPLOYMENT' AND c.revoked_at IS NULL "
            f"AND (c.expires_at IS NULL OR c.expires_at > '{now}') AND c.migrant_id = migrants.id)")


def quoted(values):
    return ", ".join(f"'{v}'" for v in values) or "''"


def query(backend, url, sql):
    """Rows of one statement, for building the fixed literals."""
    if backend == "sqlite":
        with sqlite3.connect(url) as conn:
            return conn.execute(sql).fetchall()
    out = subprocess.run(["psql", url, "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True)
    return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]


def list_statements(backend, url, now, with_count):
    where = consent_scope(now)
    page = query(backend, url, f"SELECT id, origin_municipality_code FROM migrants WHERE {where} "
                               "ORDER BY created_at, id LIMIT 20")
    ids = [r[0] for r in page]
    munis = sorted({r[1] for r in page if r[1]})
    stmts = [MIGRANT_PAGE.format(where=where),
             f"SELECT * FROM municipalities WHERE code IN ({quoted(munis)})",
             f"SELECT * FROM departments WHERE code IN ({quoted(sorted({m[:2] for m in munis}))})",
             f"SELECT * FROM consents WHERE migrant_id IN ({quoted(ids)}) AND institution_code = 'MINTRAB' "
             "ORDER BY migrant_id, granted_at, id",
             "SELECT * FROM institutions WHERE code IN ('MINTRAB')"]
    if with_count:
        today = now[:10]
        tomorrow = (datetime.date.fromisoformat(today) + datetime.timedelta(days=1)).isoformat()
        stmts += ["SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM consent_counts WHERE institution_code = "
                  f"'MINTRAB' AND purpose = 'EMPLOYMENT' AND expires_on > '{today}'",
                  "SELECT count(*) FROM consents c WHERE c.institution_code = 'MINTRAB' AND c.purpose = "
                  f"'EMPLOYMENT' AND c.revoked_at IS NULL AND c.expires_at > '{now}' AND c.expires_at < "
                  f"'{tomorrow}' AND EXISTS (SELECT 1 FROM migrants m WHERE m.id = c.migrant_id AND "
                  "m.do_not_share = false)"]
    return [stmts]


def manifest_statements(backend, url, now):
    flight = query(backend, url, "SELECT id FROM flights ORDER BY scheduled_at DESC LIMIT 1")[0][0]
    stmts = []
    for i in range(150):
        birth = f"1990-01-{(i % 28) + 1:02d}"
        mid = "gen_random_uuid()::text" if backend == "postgres" else None
        stmts.append(f"SELECT * FROM migrants WHERE birth_date = '{birth}' LIMIT 200")
        stmts.append("SELECT * FROM migrants WHERE search_name LIKE '%bench%' AND search_name LIKE "
                     f"'%n{i}%' AND birth_date <> '{birth}' LIMIT 50")
        stmts.append(("INSERT INTO migrants (id, given_names, family_names, search_name, birth_date, sex, "
                      "occupations, languages, certifications, needs_medical_attention, unaccompanied_minor, "
                      "family_separation, protection_needs, do_not_share, version, created_at, updated_at, "
                      "origin_municipality_code, origin_department_code) VALUES "
                      f"({{mid{i}}}, 'Bench', 'Direct {i}', 'bench direct {i}', '{birth}', 'MALE', '[]', '[]', "
                      f"'[]', false, false, false, false, false, 1, '{now}', '{now}', '0101', '01')"))
        stmts.append(("INSERT INTO arrivals (id, migrant_id, arrived_at, recorded_by, created_at, flight_id, "
                      f"status, manifest_line) VALUES ({{aid{i}}}, {{mid{i}}}, '{now}', 'bench', '{now}', "
                      f"'{flight}', 'EXPECTED', {i + 1})"))
    if mid:
        # One id per line, generated once per transaction by the database.
        pre = [f"SELECT gen_random_uuid()::text AS m{i}, gen_random_uuid()::text AS a{i} \\gset" for i in range(150)]
        body = [s.format(**{f"mid{i}": f"':m{i}'" for i in range(150)}, **{f"aid{i}": f"':a{i}'" for i in range(150)})
                for s in stmts]
        return [["BEGIN"] + pre + body + ["COMMIT"]]
    return [["BEGIN IMMEDIATE"] + stmts + ["COMMIT"]]


def update_statements(ids):
    return [["BEGIN", f"SELECT * FROM migrants WHERE id = '{i}'",
             f"UPDATE migrants SET years_experience = 3, version = version + 1 WHERE id = '{i}'", "COMMIT"]
            for i in ids]


def statements(backend, url, key, ids):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    cutoff = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    if key in ("mintrab_list", "mintrab_count"):
        return list_statements(backend, url, now, key == "mintrab_count")
    if key == "minex_list":
        where = f"do_not_share = false AND latest_arrival_at >= '{cutoff}' AND latest_arrival_at <= '{now}'"
        return [[MIGRANT_PAGE.format(where=where)]]
    if key == "iom_search":
        return [[MIGRANT_PAGE.format(where="search_name LIKE '%lopez%' AND search_name LIKE '%garcia%'")]]
    if key == "by_id":
        return [[f"SELECT * FROM migrants WHERE id = '{ids[0]}'"]]
    if key == "update":
        return update_statements(ids)
    if key == "manifest":
        return manifest_statements(backend, url, now)
    raise ValueError(key)


def summary(latencies_ms, count, seconds):
    latencies_ms.sort()
    pick = lambda q: latencies_ms[min(len(latencies_ms) - 1, int(q * len(latencies_ms)))] if latencies_ms else 0.0
    return {"rps": count / seconds, "p50": pick(0.50), "p99": pick(0.99)}


def run_pgbench(url, scripts, duration, connections, threads):
    work = tempfile.mkdtemp(prefix="reintegra-pgbench-")
    args = ["pgbench", "-n", "-M", "prepared" if len(scripts[0]) < 50 else "simple", "-c", str(connections),
            "-j", str(threads), "-T", str(duration), "-l", "--log-prefix", os.path.join(work, "tx")]
    for n, stmts in enumerate(scripts):
        path = os.path.join(work, f"s{n}.sql")
        with open(path, "w") as f:
            f.write("\n".join(s if s.endswith("\\gset") else s + ";" for s in stmts) + "\n")
        args += ["-f", path]
    subprocess.run(args + [url], check=True, capture_output=True, text=True)
    lat = []
    for log in glob.glob(os.path.join(work, "tx*")):
        with open(log) as f:
            lat += [int(line.split()[2]) / 1000.0 for line in f if line.strip()]
    return summary(lat, len(lat), duration)


def run_sqlite(url, scripts, duration, connections):
    deadline = time.time() + duration
    lat, lock = [], threading.Lock()

    def worker(n):
        conn = sqlite3.connect(url, isolation_level=None, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        mine, k = [], n
        while time.time() < deadline:
            stmts = scripts[k % len(scripts)]
            k += 1
            ids = {f"mid{i}": f"'{uuid.uuid4()}'" for i in range(150)}
            ids.update({f"aid{i}": f"'{uuid.uuid4()}'" for i in range(150)})
            started = time.perf_counter()
            for s in stmts:
                conn.execute(s.format(**ids) if "{" in s else s).fetchall()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            lat.extend(mine)

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.time()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return summary(lat, len(lat), time.time() - started)


def run(backend, url, key, ids, duration, connections, threads):
    scripts = statements(backend, url, key, ids)
    if backend == "postgres":
        return run_pgbench(url, scripts, duration, connections, threads)
    return run_sqlite(url, scripts, duration, connections)
