//! Employers and job vacancies: validation, money, permissions (MINTRAB,
//! universities, MINEX), filters, paging and optimistic concurrency.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{error_code, TestApp};

const CREATE_EMPLOYER: &str = "mutation($i: CreateEmployerInput!) { createEmployer(input: $i) { id version name sector nit municipality { code department { code } } contactPhone contactEmail } }";
const POST: &str = "mutation($i: PostVacancyInput!) { postVacancy(input: $i) { id version postedBy employer { id name } title occupation { code title } status openings languages requiredCertifications minEducation minEnglishLevel salaryMin { amount currency } salaryMax { amount currency } municipality { code } } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: UpdateVacancyInput!) { updateVacancy(id: $id, expectedVersion: $v, input: $i) { id version title salaryMax { amount } } }";
const LIST: &str = "query($f: JobVacancyFilter, $first: Int, $after: String) { jobVacancies(first: $first, after: $after, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { id title postedBy } } } }";

fn nit(body: &str) -> String {
    format!("{body}-{}", reintegra::domain::nit::check_char(body))
}

fn field(body: &Value) -> String {
    body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("no field: {body}"))
        .to_string()
}

async fn employer(app: &TestApp, name: &str, nit: &str) -> String {
    let i = json!({"name": name, "sector": "PRIVATE", "nit": nit, "municipalityCode": "0101"});
    let (_, body) = app
        .gql(
            &app.token("MINTRAB", "labour_officer"),
            CREATE_EMPLOYER,
            json!({ "i": i }),
        )
        .await;
    body["data"]["createEmployer"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

fn vacancy(employer: Option<&str>, title: &str, isco: &str, municipality: &str) -> Value {
    json!({"employerId": employer, "title": title, "iscoCode": isco,
           "municipalityCode": municipality, "openings": 3})
}

async fn post(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(token, POST, json!({ "i": input })).await.1
}

async fn employer_register(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let i = json!({"name": "  Constructora  Maya ", "sector": "PRIVATE", "nit": "576937-k",
        "municipalityCode": "1301", "contactPhone": "+502 5555 1234", "contactEmail": "RRHH@maya.gt"});
    let (_, body) = app.gql(&mintrab, CREATE_EMPLOYER, json!({ "i": i })).await;
    let e = &body["data"]["createEmployer"];
    assert_eq!(e["name"], "Constructora Maya", "{body}");
    assert_eq!(e["nit"], "576937-K");
    assert_eq!(e["municipality"]["department"]["code"], "13");
    assert_eq!(e["contactPhone"], "+50255551234");
    assert_eq!(e["contactEmail"], "rrhh@maya.gt");
    let id = e["id"].as_str().unwrap().to_string();

    // The same NIT written differently is the same employer.
    let dup =
        json!({"name": "Otra", "sector": "PUBLIC", "nit": "576937K", "municipalityCode": "0101"});
    let (_, body) = app
        .gql(&mintrab, CREATE_EMPLOYER, json!({ "i": dup }))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");
    let bad =
        json!({"name": "Otra", "sector": "PUBLIC", "nit": "576937-1", "municipalityCode": "0101"});
    let (_, body) = app
        .gql(&mintrab, CREATE_EMPLOYER, json!({ "i": bad }))
        .await;
    assert_eq!(field(&body), "input.nit");

    let upd = "mutation($id: ID!, $v: Int!, $i: UpdateEmployerInput!) { updateEmployer(id: $id, expectedVersion: $v, input: $i) { version sector } }";
    let vars = json!({"id": id, "v": 1, "i": {"sector": "PUBLIC"}});
    let (_, body) = app.gql(&mintrab, upd, vars.clone()).await;
    assert_eq!(body["data"]["updateEmployer"]["version"], 2, "{body}");
    let (_, body) = app.gql(&mintrab, upd, vars).await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");
    let (_, body) = app
        .gql(
            &app.token("USAC", "university_officer"),
            upd,
            json!({"id": id, "v": 2, "i": {}}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");

    let q =
        "query($s: String) { employers(search: $s) { totalCount edges { node { name sector } } } }";
    for (inst, role) in [("IOM", "iom_caseworker"), ("USAC", "university_officer")] {
        let (_, body) = app
            .gql(&app.token(inst, role), q, json!({"s": "maya"}))
            .await;
        assert_eq!(body["data"]["employers"]["totalCount"], 1, "{role}: {body}");
        assert_eq!(
            body["data"]["employers"]["edges"][0]["node"]["sector"],
            "PUBLIC"
        );
    }
    let (_, body) = app
        .gql(&app.token("MINEX", "foreign_affairs_officer"), q, json!({}))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
}

async fn vacancy_validation_and_money(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let emp = employer(&app, "Call Center GT", &nit("1234567")).await;
    let base = vacancy(Some(&emp), "Agente bilingüe", "4222", "0101");
    let with = |k: &str, v: Value| {
        let mut i = base.clone();
        i[k] = v;
        i
    };
    let cases = [
        (with("salaryMin", json!("3500.123")), "input.salaryMin"),
        (with("salaryMax", json!("-1")), "input.salaryMax"),
        (with("iscoCode", json!("9999")), "input.iscoCode"),
        (with("languages", json!(["spa", "es"])), "input.languages"),
        (with("openings", json!(0)), "input.openings"),
        (with("title", json!("x".repeat(151))), "input.title"),
        (
            with("municipalityCode", json!("9999")),
            "input.municipalityCode",
        ),
        (
            with("requiredCertifications", json!(vec!["A"; 21])),
            "input.requiredCertifications",
        ),
        (with("employerId", Value::Null), "input.employerId"),
    ];
    for (input, name) in cases {
        let body = post(&app, &mintrab, input).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("BAD_USER_INPUT"),
            "{body}"
        );
        assert_eq!(field(&body), name, "{body}");
    }
    let mut range = with("salaryMin", json!("5000"));
    range["salaryMax"] = json!("4999.99");
    assert_eq!(field(&post(&app, &mintrab, range).await), "input.salaryMax");

    let mut ok = with("salaryMin", json!("3500.5"));
    ok["salaryMax"] = json!("4321.99");
    ok["languages"] = json!(["spa", "ENG"]);
    ok["minEnglishLevel"] = json!("INTERMEDIATE");
    ok["minEducation"] = json!("UPPER_SECONDARY");
    let body = post(&app, &mintrab, ok).await;
    let v = &body["data"]["postVacancy"];
    assert_eq!(
        v["salaryMin"],
        json!({"amount": "3500.50", "currency": "GTQ"}),
        "{body}"
    );
    assert_eq!(v["salaryMax"]["amount"], "4321.99");
    assert_eq!(v["occupation"]["code"], "4222");
    assert!(v["occupation"]["title"].as_str().unwrap().len() > 5);
    assert_eq!(v["languages"], json!(["eng", "spa"]));
    assert_eq!(v["status"], "OPEN");
    assert_eq!(v["postedBy"], "MINTRAB");
    assert_eq!(v["employer"]["id"], emp.as_str());
    let id = v["id"].as_str().unwrap();
    let q = "query($id: ID!) { jobVacancy(id: $id) { salaryMin { amount } salaryMax { amount } } }";
    let (_, body) = app.gql(&mintrab, q, json!({ "id": id })).await;
    assert_eq!(body["data"]["jobVacancy"]["salaryMin"]["amount"], "3500.50");
    assert_eq!(body["data"]["jobVacancy"]["salaryMax"]["amount"], "4321.99");
    // Moving one end below the other is refused on update too.
    let vars = json!({"id": id, "v": 1, "i": {"salaryMax": "100"}});
    let (_, body) = app.gql(&mintrab, UPDATE, vars).await;
    assert_eq!(field(&body), "input.salaryMax", "{body}");
}

async fn vacancy_permissions(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let usac = app.token("USAC", "university_officer");
    let emp = employer(&app, "Finca El Sol", &nit("44120")).await;
    let body = post(
        &app,
        &mintrab,
        vacancy(Some(&emp), "Jornalero", "9211", "1301"),
    )
    .await;
    let mintrab_id = body["data"]["postVacancy"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let own = vacancy(None, "Técnico de laboratorio", "3111", "0101");
    let body = post(&app, &usac, own.clone()).await;
    let v = &body["data"]["postVacancy"];
    assert_eq!(v["postedBy"], "USAC", "{body}");
    assert_eq!(v["employer"], Value::Null);
    let usac_id = v["id"].as_str().unwrap().to_string();
    let q = "query($id: ID!) { jobVacancy(id: $id) { title postedBy } }";
    let (_, body) = app.gql(&usac, q, json!({ "id": usac_id })).await;
    assert_eq!(body["data"]["jobVacancy"]["postedBy"], "USAC", "{body}");
    let body = post(&app, &usac, vacancy(Some(&emp), "x y z", "9211", "0101")).await;
    assert_eq!(field(&body), "input.employerId");

    let edit = |id: &str| json!({"id": id, "v": 1, "i": {"title": "Cambiado"}});
    let (_, body) = app.gql(&usac, UPDATE, edit(&mintrab_id)).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let (_, body) = app
        .gql(
            &app.token("URL", "university_officer"),
            UPDATE,
            edit(&usac_id),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let (_, body) = app.gql(&mintrab, UPDATE, edit(&usac_id)).await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let (_, body) = app.gql(&usac, UPDATE, edit(&usac_id)).await;
    assert_eq!(body["data"]["updateVacancy"]["title"], "Cambiado", "{body}");

    for (inst, role) in [("MINEX", "foreign_affairs_officer"), ("IOM", "iom_admin")] {
        let body = post(&app, &app.token(inst, role), own.clone()).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{role}: {body}"
        );
    }
    let (_, body) = app
        .gql(
            &app.token("MINEX", "foreign_affairs_officer"),
            LIST,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("FORBIDDEN"), "{body}");
    let (_, body) = app
        .gql(&app.token("IOM", "iom_reception"), LIST, json!({}))
        .await;
    assert_eq!(body["data"]["jobVacancies"]["totalCount"], 2, "{body}");
}

fn titles(body: &Value) -> Vec<String> {
    body["data"]["jobVacancies"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_string())
        .collect()
}

async fn list(app: &TestApp, f: Value, first: i32, after: Value) -> Value {
    let token = app.token("IOM", "iom_caseworker");
    let vars = json!({"f": f, "first": first, "after": after});
    app.gql(&token, LIST, vars).await.1
}

async fn vacancy_filters_and_paging(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let a = employer(&app, "Constructora A", &nit("700001")).await;
    let b = employer(&app, "Hotel B", &nit("700002")).await;
    for (emp, title, isco, muni) in [
        (&a, "Albañil 1", "7112", "0101"),
        (&a, "Albañil 2", "7112", "1301"),
        (&a, "Peón", "9313", "1301"),
        (&b, "Cocinero", "5120", "0101"),
        (&b, "Mesero", "5131", "0901"),
    ] {
        let body = post(&app, &mintrab, vacancy(Some(emp), title, isco, muni)).await;
        assert!(body["data"]["postVacancy"]["id"].is_string(), "{body}");
    }
    post(
        &app,
        &app.token("UVG", "university_officer"),
        vacancy(None, "Asistente", "4110", "0101"),
    )
    .await;

    let count = |b: &Value| b["data"]["jobVacancies"]["totalCount"].clone();
    assert_eq!(
        count(&list(&app, json!({"iscoCode": "71"}), 10, Value::Null).await),
        2
    );
    assert_eq!(
        count(&list(&app, json!({"iscoCode": "9"}), 10, Value::Null).await),
        1
    );
    assert_eq!(
        count(&list(&app, json!({"municipalityCode": "1301"}), 10, Value::Null).await),
        2
    );
    assert_eq!(
        count(&list(&app, json!({"departmentCode": "09"}), 10, Value::Null).await),
        1
    );
    assert_eq!(
        count(&list(&app, json!({"employerId": b}), 10, Value::Null).await),
        2
    );
    assert_eq!(
        count(&list(&app, json!({"postedBy": "uvg"}), 10, Value::Null).await),
        1
    );
    let body = list(&app, json!({"iscoCode": "99"}), 10, Value::Null).await;
    assert_eq!(field(&body), "filter.iscoCode", "{body}");

    // Newest first, in pages of two, every vacancy exactly once.
    let (mut seen, mut after) = (vec![], Value::Null);
    loop {
        let body = list(&app, json!({"status": "OPEN"}), 2, after).await;
        assert_eq!(count(&body), 6);
        seen.extend(titles(&body));
        let info = &body["data"]["jobVacancies"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert_eq!(seen[0], "Asistente");
    assert_eq!(seen[5], "Albañil 1");

    let first = list(&app, json!({"employerId": a}), 1, Value::Null).await;
    let id = first["data"]["jobVacancies"]["edges"][0]["node"]["id"].clone();
    let close = "mutation($id: ID!, $v: Int!) { closeVacancy(id: $id, expectedVersion: $v, filled: true) { status version } }";
    let (_, body) = app.gql(&mintrab, close, json!({"id": id, "v": 1})).await;
    assert_eq!(body["data"]["closeVacancy"]["status"], "FILLED", "{body}");
    assert_eq!(
        count(&list(&app, json!({"status": "OPEN"}), 10, Value::Null).await),
        5
    );
    assert_eq!(
        count(&list(&app, json!({"status": "FILLED"}), 10, Value::Null).await),
        1
    );
}

async fn stale_version_changes_nothing(app: TestApp) {
    let mintrab = app.token("MINTRAB", "labour_officer");
    let emp = employer(&app, "Maquila Q", &nit("81530")).await;
    let body = post(
        &app,
        &mintrab,
        vacancy(Some(&emp), "Operaria", "8153", "0101"),
    )
    .await;
    let id = body["data"]["postVacancy"]["id"].clone();
    let first = json!({"id": id, "v": 1, "i": {"title": "Operaria de costura"}});
    let (_, body) = app.gql(&mintrab, UPDATE, first).await;
    assert_eq!(body["data"]["updateVacancy"]["version"], 2, "{body}");
    let stale = json!({"id": id, "v": 1, "i": {"title": "Pisado"}});
    let (_, body) = app.gql(&mintrab, UPDATE, stale).await;
    assert_eq!(error_code(&body).as_deref(), Some("CONFLICT"), "{body}");
    let q = "query($id: ID!) { jobVacancy(id: $id) { title version } }";
    let (_, body) = app.gql(&mintrab, q, json!({ "id": id })).await;
    assert_eq!(body["data"]["jobVacancy"]["title"], "Operaria de costura");
    assert_eq!(body["data"]["jobVacancy"]["version"], 2);
}

db_tests!(
    employer_register,
    vacancy_validation_and_money,
    vacancy_permissions,
    vacancy_filters_and_paging,
    stale_version_changes_nothing,
);
