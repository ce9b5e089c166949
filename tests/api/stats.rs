//! `stats`: figures equal straight counts (IOM, unsuppressed), small cells
//! and the cells that would give them away are hidden for every other
//! role (checked by exact linear algebra over the API's own output),
//! erasure leaves every figure unchanged, CSV equals the GraphQL tables,
//! and bad periods are refused.

use std::collections::BTreeMap;

use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use reintegra::stats::suppression::derivable;
use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, person, TestApp};

const STATS: &str = "query($f: Date!, $t: Date!, $by: StatsDimension!) { stats(from: $f, to: $t, by: $by) { suppressed arrivals { ...T } assistanceCoverage { ...T } placements { ...T } training { ...T } enterprises { ...T } admissions { ...T } } }
fragment T on StatsTable { figure rowDimension columns { key label } rows { key label values total rate } columnTotals grandTotal rate }";
const DIMENSIONS: [&str; 5] = ["MONTH", "DEPARTMENT", "MUNICIPALITY", "SEX", "AGE_BAND"];
const FAMILIES: [&str; 6] = [
    "arrivals",
    "assistanceCoverage",
    "placements",
    "training",
    "enterprises",
    "admissions",
];
/// Every role outside IOM, with the institution its token names.
const PARTNERS: [(&str, &str); 4] = [
    ("MINTRAB", "labour_officer"),
    ("MINEX", "foreign_affairs_officer"),
    ("USAC", "university_officer"),
    ("IOM", "auditor"),
];

fn period() -> Value {
    let today = chrono::Utc::now().date_naive();
    json!({"f": (today - chrono::Duration::days(400)).to_string(), "t": today.to_string()})
}

async fn stats(app: &TestApp, token: &str, by: &str) -> Value {
    let mut vars = period();
    vars["by"] = json!(by);
    let (_, body) = app.gql(token, STATS, vars).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["stats"].clone()
}

async fn someone(app: &TestApp, n: u32, municipality: &str, sex: &str, born: &str) -> String {
    let mut p = person("Ana", "Pop", n);
    p["origin"]["municipalityCode"] = json!(municipality);
    p["identity"]["sex"] = json!(sex);
    p["identity"]["birthDate"] = json!(born);
    p["documents"] = json!({"passportNumber": format!("P{n:07}")});
    app.register(p).await
}

async fn assist(app: &TestApp, id: &str, kind: &str) {
    let q = "mutation($i: AssistanceInput!) { recordAssistance(input: $i) { id } }";
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_admin"),
            q,
            json!({"i": {"migrantId": id, "kind": kind}}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
}

async fn vacancy(app: &TestApp) -> String {
    let nit = format!("576937-{}", reintegra::domain::nit::check_char("576937"));
    let mintrab = app.token("MINTRAB", "labour_officer");
    let i = json!({"name": "Constructora Maya", "sector": "PRIVATE", "nit": nit, "municipalityCode": "1301"});
    let q = "mutation($i: CreateEmployerInput!) { createEmployer(input: $i) { id } }";
    let (_, body) = app.gql(&mintrab, q, json!({ "i": i })).await;
    let i = json!({"employerId": body["data"]["createEmployer"]["id"], "title": "Guardia",
                   "iscoCode": "5414", "municipalityCode": "1301", "openings": 10});
    let q = "mutation($i: PostVacancyInput!) { postVacancy(input: $i) { id } }";
    let (_, body) = app.gql(&mintrab, q, json!({ "i": i })).await;
    body["data"]["postVacancy"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Refers `id` and moves the referral along `path`.
async fn refer(app: &TestApp, v: &str, id: &str, path: &[&str]) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let q = "mutation($m: ID!, $v: ID!) { referToVacancy(migrantId: $m, vacancyId: $v) { id } }";
    let (_, body) = app.gql(&mintrab, q, json!({"m": id, "v": v})).await;
    let rid = body["data"]["referToVacancy"]["id"].clone();
    assert!(rid.is_string(), "{body}");
    let q = "mutation($id: ID!, $to: ReferralStatus!, $v: Int!) { moveReferral(id: $id, to: $to, expectedVersion: $v) { id } }";
    for (k, to) in path.iter().enumerate() {
        let (_, body) = app
            .gql(&mintrab, q, json!({"id": rid, "to": to, "v": k + 1}))
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
}

/// 18 people in four departments, two returning twice, services, MINTRAB
/// consents for 11 and six referrals; returns the ids by department 13 first.
async fn populate(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    let groups = [
        ("1301", "MALE", 9),
        ("0101", "FEMALE", 6),
        ("0501", "MALE", 2),
        ("0901", "OTHER", 1),
    ];
    for (municipality, sex, n) in groups {
        for _ in 0..n {
            let k = ids.len() as u32;
            let born = if k.is_multiple_of(3) {
                "2001-03-04"
            } else {
                "1990-07-08"
            };
            let id = someone(app, 100 + k, municipality, sex, born).await;
            app.arrive(&id, 10 + i64::from(k)).await;
            assist(app, &id, "RECEPTION").await;
            if k.is_multiple_of(4) {
                assist(app, &id, "FOOD_RATION").await;
            }
            ids.push(id);
        }
    }
    for id in &ids[..2] {
        app.arrive(id, 2).await;
    }
    for id in ids[..9].iter().chain(&ids[9..11]) {
        app.consent(id, "MINTRAB", "EMPLOYMENT", None).await;
    }
    let v = vacancy(app).await;
    let hired: &[&str] = &["REFERRED", "INTERVIEWED", "HIRED"];
    for (k, id) in ids[..6].iter().enumerate() {
        let path = match k {
            0 | 1 => hired,
            2 => &["REJECTED"][..],
            _ => &[][..],
        };
        refer(app, &v, id, path).await;
    }
    ids
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Text)]
    k: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A straight count, written independently of the application's SQL.
fn counts(app: &TestApp, sql: &str) -> BTreeMap<String, i64> {
    let url = reintegra::db::normalize_url(&app.db.url);
    let mut conn = reintegra::db::DbConnection::establish(&url).expect("connect");
    let rows: Vec<Counted> = diesel::sql_query(sql).load(&mut conn).expect("count");
    rows.into_iter().map(|c| (c.k, c.n)).collect()
}

/// Row totals of a table keyed by row, zeros left out.
fn row_totals(t: &Value) -> BTreeMap<String, i64> {
    t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["total"] != 0)
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["total"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn column_totals(t: &Value) -> BTreeMap<String, i64> {
    let keys = t["columns"].as_array().unwrap().iter();
    keys.zip(t["columnTotals"].as_array().unwrap())
        .filter(|(_, v)| **v != 0)
        .map(|(c, v)| (c["key"].as_str().unwrap().to_string(), v.as_i64().unwrap()))
        .collect()
}

async fn iom_figures_equal_straight_counts(app: TestApp) {
    populate(&app).await;
    let iom = app.token("IOM", "iom_caseworker");
    let by_dept = stats(&app, &iom, "DEPARTMENT").await;
    assert_eq!(by_dept["suppressed"], false);
    let arrivals = counts(
        &app,
        "SELECT m.origin_department_code AS k, COUNT(*) AS n FROM arrivals a \
         JOIN migrants m ON m.id = a.migrant_id WHERE a.status = 'ARRIVED' GROUP BY m.origin_department_code",
    );
    assert_eq!(row_totals(&by_dept["arrivals"]), arrivals);
    let repeat = counts(
        &app,
        "SELECT 'REPEAT' AS k, COUNT(*) - COUNT(DISTINCT migrant_id) AS n FROM arrivals WHERE status = 'ARRIVED'",
    );
    assert_eq!(by_dept["arrivals"]["columnTotals"][1], repeat["REPEAT"]);
    let served = counts(
        &app,
        "SELECT kind AS k, COUNT(DISTINCT migrant_id) AS n FROM assistance GROUP BY kind",
    );
    let by_sex = stats(&app, &iom, "SEX").await;
    assert_eq!(column_totals(&by_sex["assistanceCoverage"]), served);
    let outcomes = counts(
        &app,
        "SELECT CASE status WHEN 'HIRED' THEN 'PLACED' WHEN 'REJECTED' THEN 'NOT_PLACED' \
         WHEN 'WITHDRAWN' THEN 'NOT_PLACED' ELSE 'IN_PROGRESS' END AS k, COUNT(*) AS n \
         FROM job_referrals GROUP BY 1",
    );
    assert_eq!(column_totals(&by_dept["placements"]), outcomes);
    let placements = &by_dept["placements"];
    assert_eq!(placements["grandTotal"], 6);
    assert_eq!(placements["rate"].as_f64(), Some(2.0 / 6.0));
    // Ages in the year of the event, every arrival in exactly one band.
    let by_age = stats(&app, &iom, "AGE_BAND").await;
    assert_eq!(by_age["arrivals"]["grandTotal"], 20, "{by_age}");
    let months = stats(&app, &iom, "MONTH").await;
    assert_eq!(months["arrivals"]["grandTotal"], 20);
    assert!(months["arrivals"]["rows"].as_array().unwrap().len() >= 13);
}

/// The published table with its margins, `None` where hidden.
fn margined(t: &Value) -> Vec<Vec<Option<i64>>> {
    let line = |values: &Value, total: &Value| -> Vec<Option<i64>> {
        let mut v: Vec<Option<i64>> = values
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_i64)
            .collect();
        v.push(total.as_i64());
        v
    };
    let mut out: Vec<Vec<Option<i64>>> = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| line(&r["values"], &r["total"]))
        .collect();
    out.push(line(&t["columnTotals"], &t["grandTotal"]));
    out
}

async fn partners_read_small_cells_hidden_and_underivable(app: TestApp) {
    populate(&app).await;
    let iom = app.token("IOM", "iom_admin");
    for by in DIMENSIONS {
        let full = stats(&app, &iom, by).await;
        for (inst, role) in PARTNERS {
            let s = stats(&app, &app.token(inst, role), by).await;
            assert_eq!(s["suppressed"], true, "{role}");
            for family in FAMILIES {
                let table = margined(&s[family]);
                let small = table.iter().flatten().flatten().any(|v| (1..5).contains(v));
                assert!(!small, "{role} {by} {family}: {}", s[family]);
                assert!(!derivable(&table), "{role} {by} {family}: {}", s[family]);
                if role == "auditor" {
                    // Programme-wide rows: what is published is IOM's figure.
                    let exact = margined(&full[family]);
                    for (a, b) in table.iter().flatten().zip(exact.iter().flatten()) {
                        assert!(a.is_none() || a == b, "{by} {family}");
                    }
                }
            }
        }
    }
    // MINTRAB's placements are its own referrals: 6 in all, cells hidden.
    let s = stats(&app, &app.token("MINTRAB", "labour_officer"), "DEPARTMENT").await;
    let p = &s["placements"];
    assert_eq!(p["grandTotal"], 6, "{p}");
    assert_eq!(p["columnTotals"], json!([null, null, null]), "{p}");
    assert_eq!(
        s["arrivals"]["grandTotal"], 13,
        "MINTRAB's 11 people, 2 came twice"
    );
    // MINEX followed everyone who arrived in the period.
    let s = stats(&app, &app.token("MINEX", "foreign_affairs_officer"), "SEX").await;
    assert_eq!(s["arrivals"]["grandTotal"], 20);
}

async fn erasure_leaves_every_figure_unchanged(app: TestApp) {
    let ids = populate(&app).await;
    let mut tokens = vec![app.token("IOM", "iom_admin")];
    tokens.extend(PARTNERS.iter().map(|(i, r)| app.token(i, r)));
    let mut before = Vec::new();
    for t in &tokens {
        for by in DIMENSIONS {
            before.push(stats(&app, t, by).await);
        }
    }
    // The first person returned twice, was served, consented and was hired.
    let erase = "mutation($id: ID!, $r: String!) { eraseMigrant(migrantId: $id, reason: $r) { migrantId } }";
    let admin = app.token("IOM", "iom_admin");
    let (_, body) = app
        .gql(
            &admin,
            erase,
            json!({"id": ids[0], "r": "the person asked for erasure"}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let mut k = 0;
    for t in &tokens {
        for by in DIMENSIONS {
            let after = stats(&app, t, by).await;
            for family in FAMILIES {
                let (a, b) = (&before[k][family], &after[family]);
                assert_eq!(a["columnTotals"], b["columnTotals"], "{by} {family}");
                assert_eq!(a["grandTotal"], b["grandTotal"], "{by} {family}");
                // The municipality goes with erasure: that person moves to
                // UNKNOWN; every other breakdown stays cell for cell.
                if by != "MUNICIPALITY" {
                    assert_eq!(a, b, "{by} {family}");
                }
            }
            k += 1;
        }
    }
    let (_, body) = app.gql(&admin, "{ auditChain { ok } }", json!({})).await;
    assert_eq!(body["data"]["auditChain"]["ok"], true, "{body}");
}

/// The CSV of the GraphQL tables, as `stats::csv` writes it.
fn csv_of(s: &Value, by: &str) -> String {
    let mut out = String::from("figure,row_dimension,row_key,row_label,column_key,value\n");
    let cell = |v: &Value| v.as_i64().map(|n| n.to_string()).unwrap_or_default();
    for family in FAMILIES {
        let t = &s[family];
        let columns: Vec<&str> = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap())
            .collect();
        for r in t["rows"].as_array().unwrap() {
            let (key, label) = (r["key"].as_str().unwrap(), r["label"].as_str().unwrap());
            for (c, v) in columns.iter().zip(r["values"].as_array().unwrap()) {
                out += &format!("{family},{by},{key},{label},{c},{}\n", cell(v));
            }
            out += &format!("{family},{by},{key},{label},TOTAL,{}\n", cell(&r["total"]));
        }
        for (c, v) in columns.iter().zip(t["columnTotals"].as_array().unwrap()) {
            out += &format!("{family},{by},TOTAL,Total,{c},{}\n", cell(v));
        }
        out += &format!(
            "{family},{by},TOTAL,Total,TOTAL,{}\n",
            cell(&t["grandTotal"])
        );
    }
    out
}

async fn csv_equals_the_graphql_tables(app: TestApp) {
    populate(&app).await;
    let token = app.token("MINTRAB", "labour_officer");
    let vars = period();
    for by in ["DEPARTMENT", "AGE_BAND"] {
        let s = stats(&app, &token, by).await;
        let path = format!(
            "/stats.csv?from={}&to={}&by={by}",
            vars["f"].as_str().unwrap(),
            vars["t"].as_str().unwrap()
        );
        let (status, csv) = app.get(&path, Some(&token)).await;
        assert_eq!(status, 200, "{csv}");
        assert_eq!(csv, csv_of(&s, by));
    }
    let (status, _) = app
        .get("/stats.csv?from=2026-01-01&to=2026-02-01", None)
        .await;
    assert_eq!(status, 401);
    let (status, body) = app
        .get("/stats.csv?from=2026-03-01&to=2026-02-01", Some(&token))
        .await;
    assert_eq!(status, 400, "{body}");
}

async fn bad_periods_are_refused(app: TestApp) {
    let token = app.token("MINEX", "foreign_affairs_officer");
    let q = "query($f: Date!, $t: Date!) { stats(from: $f, to: $t) { arrivals { grandTotal } } }";
    for (f, t, field) in [
        ("2026-03-01", "2026-02-01", "from"),
        ("2010-01-01", "2026-02-01", "to"),
    ] {
        let (_, body) = app.gql(&token, q, json!({"f": f, "t": t})).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let (_, body) = app
        .gql(&token, q, json!({"f": "2026-02-30", "t": "2026-03-01"}))
        .await;
    assert!(body["errors"].is_array(), "{body}");
}

db_tests!(
    iom_figures_equal_straight_counts,
    partners_read_small_cells_hidden_and_underivable,
    erasure_leaves_every_figure_unchanged,
    csv_equals_the_graphql_tables,
    bad_periods_are_refused,
);
