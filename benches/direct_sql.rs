//! The ceiling for `benches/bench.py`: each scenario's database work — the
//! very queries the API sends for one request, built by the same library
//! functions, prepared and cached by the same driver — run straight against
//! the database from `--threads` connections for `--seconds`, with no HTTP,
//! JWT, GraphQL or audit. Prints one JSON line: requests/s, p50, p99 (ms).
//!
//! cargo bench --bench direct_sql -- --url bench.db --scenario mintrab_list --ids a,b

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use reintegra::db::consents;
use reintegra::db::migrant_columns::{select, Columns};
use reintegra::db::migrants::{self, MigrantRow};
use reintegra::db::schema::migrants as m;
use reintegra::db::{
    flights, institutions, matching, reference, scope, scope_counts, vacancies, DbConnection,
};
use reintegra::domain::institution::Role;
use reintegra::intake::manifest::{self, ManifestLine};
use reintegra::policy::{self, ConsentView, RowFilter, Slice};
use reintegra::service::candidates::{self, Wanted};

struct Args {
    url: String,
    scenario: String,
    ids: Vec<String>,
    vacancy: String,
    seconds: u64,
    threads: usize,
}

fn args() -> Args {
    let mut a = Args {
        url: String::new(),
        scenario: String::new(),
        ids: Vec::new(),
        vacancy: String::new(),
        seconds: 10,
        threads: 32,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_default();
        match flag.as_str() {
            "--url" => a.url = value(),
            "--scenario" => a.scenario = value(),
            "--ids" => a.ids = value().split(',').map(str::to_string).collect(),
            "--vacancy" => a.vacancy = value(),
            "--seconds" => a.seconds = value().parse().unwrap_or(10),
            "--threads" => a.threads = value().parse().unwrap_or(32),
            _ => {} // `cargo bench` passes `--bench`.
        }
    }
    a
}

/// One page with the columns of the `shown` slices, as the API reads it.
fn page(
    conn: &mut DbConnection,
    rows: &RowFilter,
    name: Option<&str>,
    shown: &[Slice],
) -> Vec<MigrantRow> {
    let mut q = scope::visible(rows);
    if let Some(n) = name {
        q = scope::name_matches(q, n);
    }
    scope::page(conn, q, rows, 21, Columns::of(shown.iter().copied())).expect("page")
}

fn labour_list(conn: &mut DbConnection, count: bool) {
    let rows = RowFilter::for_caller(Role::LabourOfficer, "MINTRAB", reintegra::db::now(), 30);
    let people = page(conn, &rows, None, &[Slice::Identity, Slice::Origin]);
    let ids: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
    let munis: Vec<String> = people
        .iter()
        .filter_map(|p| p.origin_municipality_code.clone())
        .collect();
    let depts: Vec<String> = munis.iter().map(|c| c[..2].to_string()).collect();
    reference::municipalities_by_code(conn, &munis).expect("municipalities");
    reference::departments_by_code(conn, &depts).expect("departments");
    consents::for_migrants(conn, &ids, &ConsentView::Own("MINTRAB".into())).expect("consents");
    institutions::by_codes(conn, &["MINTRAB".to_string()]).expect("institutions");
    if count {
        scope_counts::count(conn, "MINTRAB", "EMPLOYMENT", None, rows.now).expect("count");
    }
}

/// The statements of one `vacancyMatches(first: 20)`, with `totalCount`
/// when `count`: the vacancy, who was already referred, the strata search
/// (`service::candidates`) and the page's rows.
fn vacancy_matches(conn: &mut DbConnection, vacancy: &str, count: bool) {
    let rows = RowFilter::for_caller(Role::LabourOfficer, "MINTRAB", reintegra::db::now(), 30);
    let v = vacancies::by_id(conn, vacancy)
        .expect("vacancy")
        .expect("exists");
    let wanted = Wanted {
        after: None,
        want: 21,
        count,
    };
    let (found, _) = candidates::for_vacancy(conn, &rows, &v, &wanted).expect("ranking");
    let page: Vec<String> = found.iter().take(20).map(|(_, id)| id.clone()).collect();
    matching::rows_of(conn, &rows, &page, Columns::of([Slice::Identity])).expect("rows");
}

fn update(conn: &mut DbConnection, id: &str) {
    reintegra::db::write_tx(conn, |c| {
        let mut row: MigrantRow = m::table.find(id).select(MigrantRow::as_select()).first(c)?;
        row.years_experience = Some((row.version % 30) + 1);
        let expected = row.version;
        migrants::update_if_version(c, &row, expected)?;
        Ok(())
    })
    .ok();
}

/// A number spelled in letters (names hold letters only).
fn letters(mut x: u64) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (x % 26) as u8);
        x /= 26;
        if x == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn import(conn: &mut DbConnection, n: u64, tag: u64) {
    let now = reintegra::db::now();
    let flight = flights::FlightRow {
        id: uuid::Uuid::new_v4().to_string(),
        code: format!("DS{tag}-{n}"),
        origin_airport: "AEX".into(),
        scheduled_at: now,
        landed_at: None,
        status: "SCHEDULED".into(),
        created_by: "bench".into(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let lines: Vec<ManifestLine> = (1..=150)
        .map(|i| ManifestLine {
            line: i,
            given_names: "Bench".into(),
            family_names: format!("D{} N{} L{}", letters(tag), letters(n), letters(i as u64)),
            birth_date: format!("1990-01-{:02}", (i % 28) + 1),
            sex: "MALE".into(),
            document_number: None,
            municipality_code: Some("0101".into()),
            us_state: Some("TX".into()),
            months_in_us: Some("12".into()),
        })
        .collect();
    let all = policy::all_rows(Role::IomAdmin).expect("capability");
    reintegra::db::write_tx(conn, |c| {
        flights::insert(c, std::slice::from_ref(&flight))?;
        manifest::import(c, all, &flight, &lines, "bench")
    })
    .ok();
}

fn once(conn: &mut DbConnection, a: &Args, n: u64, tag: u64) {
    let now = reintegra::db::now();
    let id = &a.ids[(n as usize) % a.ids.len().max(1)];
    match a.scenario.as_str() {
        "mintrab_list" => labour_list(conn, false),
        "mintrab_count" => labour_list(conn, true),
        "minex_list" => {
            let rows = RowFilter::for_caller(Role::ForeignAffairsOfficer, "MINEX", now, 30);
            page(conn, &rows, None, &[Slice::Identity, Slice::Health]);
        }
        "iom_search" => {
            let rows = RowFilter::for_caller(Role::IomCaseworker, "IOM", now, 30);
            page(conn, &rows, Some("lopez garcia"), &[Slice::Identity]);
        }
        "by_id" => {
            let rows = RowFilter::for_caller(Role::IomCaseworker, "IOM", now, 30);
            scope::visible(&rows)
                .filter(m::id.eq(id))
                .select(select(Columns::of([Slice::Identity, Slice::Contact])))
                .first::<MigrantRow>(conn)
                .expect("by id");
        }
        "update" => update(conn, id),
        "manifest" => import(conn, n, tag),
        "vacancy_matches" => vacancy_matches(conn, &a.vacancy, false),
        "vacancy_matches_count" => vacancy_matches(conn, &a.vacancy, true),
        other => panic!("unknown scenario {other}"),
    }
}

fn main() {
    let a = Arc::new(args());
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let tag = std::process::id() as u64;
    let started = Instant::now();
    let workers: Vec<_> = (0..a.threads)
        .map(|t| {
            let (a, latencies) = (Arc::clone(&a), Arc::clone(&latencies));
            std::thread::spawn(move || {
                let url = reintegra::db::normalize_url(&a.url);
                let mut conn = DbConnection::establish(&url).expect("connect");
                if let DbConnection::Sqlite(c) = &mut conn {
                    use diesel::connection::SimpleConnection;
                    c.batch_execute("PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;")
                        .expect("pragmas");
                }
                let mut mine = Vec::new();
                let mut n = t as u64 * 1_000_000;
                while Instant::now() < deadline {
                    let t0 = Instant::now();
                    once(&mut conn, &a, n, tag);
                    mine.push(t0.elapsed().as_secs_f64() * 1000.0);
                    n += 1;
                }
                latencies.lock().expect("lock").extend(mine);
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut l = latencies.lock().expect("lock").clone();
    l.sort_by(|x, y| x.total_cmp(y));
    let pick = |q: f64| {
        l.get(((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "{{\"rps\": {:.1}, \"p50\": {:.3}, \"p99\": {:.3}}}",
        l.len() as f64 / elapsed,
        pick(0.5),
        pick(0.99)
    );
}
