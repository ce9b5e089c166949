//! Registering, updating, listing and searching migrant records.

use serde_json::{json, Value};

use crate::db_tests;
use crate::support::{cui, person, TestApp};

fn ids(body: &Value) -> Vec<String> {
    body["data"]["migrants"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect()
}

async fn filters_for_partner_systems(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    let first = app.register(person("Ana", "Ixcoy", 1)).await;
    let second = app.register(person("Rosa", "Tuyuc", 2)).await;
    let q =
        "query($f: MigrantFilter) { migrants(filter: $f) { totalCount edges { node { id } } } }";
    let cui = person("Ana", "Ixcoy", 1)["documents"]["documentNumber"].clone();
    let (_, body) = app
        .gql(&admin, q, json!({"f": {"documentNumber": cui}}))
        .await;
    assert_eq!(ids(&body), vec![first.clone()], "{body}");
    let (_, body) = app
        .gql(&admin, q, json!({"f": {"documentNumber": "1234"}}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "filter.documentNumber",
        "{body}"
    );
    let labour = app.token("MINTRAB", "labour_officer");
    let (_, body) = app
        .gql(&labour, q, json!({"f": {"documentNumber": cui}}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    // Only what changed since the mark comes back.
    let mark = chrono::Utc::now();
    let update = "mutation($id: ID!) { updateMigrant(id: $id, expectedVersion: 1, input: {skills: {yearsExperience: 9}}) { version } }";
    let (_, body) = app.gql(&admin, update, json!({"id": second})).await;
    assert_eq!(body["data"]["updateMigrant"]["version"], 2, "{body}");
    let (_, body) = app
        .gql(&admin, q, json!({"f": {"updatedSince": mark.to_rfc3339()}}))
        .await;
    assert_eq!(ids(&body), vec![second], "{body}");
}

async fn search_and_filters_respect_scope(app: TestApp) {
    let visible = app.register(person("José", "López García", 1)).await;
    app.consent(&visible, "MINTRAB", "EMPLOYMENT", None).await;
    let hidden = app.register(person("José", "Lopez Ramos", 2)).await;
    let mut p = person("Josefa", "López", 3);
    p["protection"]["doNotShare"] = json!(true);
    let protected = app.register(p).await;
    app.consent(&protected, "MINTRAB", "EMPLOYMENT", None).await;
    let admin = app.token("IOM", "iom_admin");
    let labour = app.token("MINTRAB", "labour_officer");
    let q = "query($f: MigrantFilter) { migrants(first: 10, filter: $f) { totalCount edges { node { id } } } }";
    // Accent- and case-insensitive for IOM: all three.
    let (_, body) = app.gql(&admin, q, json!({"f": {"name": "LOPEZ"}})).await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 3, "{body}");
    let (_, body) = app
        .gql(&admin, q, json!({"f": {"name": "josé lópez"}}))
        .await;
    assert_eq!(ids(&body).len(), 3);
    let (_, body) = app.gql(&admin, q, json!({"f": {"name": "ramos"}})).await;
    assert_eq!(ids(&body), vec![hidden.clone()]);
    // MINTRAB: the same searches reveal only its own row, in lists and counts.
    for f in [
        json!({"name": "lopez"}),
        json!({"name": "ramos"}),
        json!({"departmentCode": "13"}),
        json!({"municipalityCode": "1301"}),
        json!({"hasActiveConsent": "EMPLOYMENT"}),
        json!({}),
    ] {
        let (_, body) = app.gql(&labour, q, json!({"f": f})).await;
        let got = ids(&body);
        assert!(got.iter().all(|id| id == &visible), "{f}: {body}");
        assert_eq!(
            body["data"]["migrants"]["totalCount"].as_i64().unwrap() as usize,
            got.len(),
            "{f}"
        );
    }
    // A partner's consent filter only ever looks at its own consents.
    app.consent(&hidden, "USAC", "EDUCATION", None).await;
    let (_, body) = app
        .gql(
            &labour,
            q,
            json!({"f": {"hasActiveConsent": "EDUCATION", "consentInstitution": "USAC"}}),
        )
        .await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 0, "{body}");
    let (_, body) = app
        .gql(
            &admin,
            q,
            json!({"f": {"hasActiveConsent": "EDUCATION", "consentInstitution": "USAC"}}),
        )
        .await;
    assert_eq!(ids(&body), vec![hidden.clone()]);
    // Filtering on a slice the role cannot read is refused, not silently applied.
    let (_, body) = app
        .gql(&labour, q, json!({"f": {"arrivedFrom": "2020-01-01"}}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    let (_, body) = app
        .gql(&admin, q, json!({"f": {"municipalityCode": "9999"}}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "filter.municipalityCode",
        "{body}"
    );
}

async fn arrival_date_filter(app: TestApp) {
    let a = app.register(person("Ana", "Coj", 1)).await;
    app.arrive(&a, 5).await;
    let b = app.register(person("Bea", "Coj", 2)).await;
    app.arrive(&b, 200).await;
    let from = (chrono::Utc::now() - chrono::Duration::days(10))
        .date_naive()
        .to_string();
    let q =
        "query($f: MigrantFilter) { migrants(filter: $f) { totalCount edges { node { id } } } }";
    let (_, body) = app
        .gql(
            &app.token("IOM", "iom_reception"),
            q,
            json!({"f": {"arrivedFrom": from}}),
        )
        .await;
    assert_eq!(ids(&body), vec![a]);
}

async fn keyset_pagination(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    let mut all = Vec::new();
    for n in 0..7 {
        all.push(
            app.register(person(
                "Ana",
                &format!("Caal{}", "a".repeat(n as usize + 1)),
                n,
            ))
            .await,
        );
    }
    let q = "query($a: String) { migrants(first: 3, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }";
    let (mut seen, mut after) = (Vec::new(), Value::Null);
    loop {
        let (_, body) = app.gql(&admin, q, json!({"a": after})).await;
        let c = &body["data"]["migrants"];
        assert_eq!(c["totalCount"], 7);
        seen.extend(ids(&body));
        if c["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, all, "every record once, in registration order");
    let (_, body) = app.gql(&admin, q, json!({"a": "garbage"})).await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "after", "{body}");
    let (_, body) = app
        .gql(&admin, "{ migrants(first: 101) { totalCount } }", json!({}))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "first", "{body}");
}

async fn invalid_input_names_the_field(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    let q = "mutation($i: MigrantSections!) { registerMigrant(input: $i) { id } }";
    let bad_cui = format!("{}0", &cui(1, "0101")[..12]);
    let cases = [
        (
            "documents.documentNumber",
            "/documents/documentNumber",
            json!(bad_cui),
        ),
        (
            "documents.documentNumber",
            "/documents/documentNumber",
            json!("1234567890123"),
        ),
        ("contact.phone", "/contact/phone", json!("5555-1234")),
        (
            "contact.relativePhone",
            "/contact/relativePhone",
            json!("+44 20 7946 0958"),
        ),
        (
            "identity.birthDate",
            "/identity/birthDate",
            json!("2099-01-01"),
        ),
        (
            "identity.birthDate",
            "/identity/birthDate",
            json!("1850-01-01"),
        ),
        ("identity.givenNames", "/identity/givenNames", json!("   ")),
        (
            "origin.municipalityCode",
            "/origin/municipalityCode",
            json!("1340"),
        ),
        (
            "skills.yearsExperience",
            "/skills/yearsExperience",
            json!(-3),
        ),
    ];
    for (field, path, value) in cases {
        let mut p = person("Ana", "Tux", 5);
        *p.pointer_mut(path).unwrap() = value;
        let (_, body) = app.gql(&admin, q, json!({"i": p})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{field}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let mut p = person("Ana", "Tux", 5);
    p["identity"]["birthDate"] = json!("1990-02-30");
    let (_, body) = app.gql(&admin, q, json!({"i": p})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "impossible date: {body}"
    );
    let (_, body) = app
        .gql(&admin, "{ migrants { totalCount } }", json!({}))
        .await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 0, "nothing stored");
}

async fn stale_version_conflicts_and_changes_nothing(app: TestApp) {
    let id = app.register(person("Ana", "Yat", 1)).await;
    let admin = app.token("IOM", "iom_caseworker");
    let q = "mutation($id: ID!, $v: Int!, $p: String!) { updateMigrant(id: $id, expectedVersion: $v, input: {contact: {phone: $p}}) { version phone } }";
    let (_, body) = app
        .gql(&admin, q, json!({"id": id, "v": 1, "p": "+50233334444"}))
        .await;
    assert_eq!(body["data"]["updateMigrant"]["version"], 2, "{body}");
    let (_, body) = app
        .gql(&admin, q, json!({"id": id, "v": 1, "p": "+50277778888"}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CONFLICT",
        "{body}"
    );
    let (_, body) = app
        .gql(
            &admin,
            "query($id: ID!) { migrant(id: $id) { version phone } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        body["data"]["migrant"],
        json!({"version": 2, "phone": "+50233334444"})
    );
    // A CUI already on record is a conflict too.
    let mut dup = person("Otro", "Yat", 1);
    dup["identity"]["givenNames"] = json!("Otro");
    let (_, body) = app
        .gql(
            &admin,
            "mutation($i: MigrantSections!) { registerMigrant(input: $i) { id } }",
            json!({"i": dup}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CONFLICT",
        "{body}"
    );
}

async fn idempotent_registration(app: TestApp) {
    let token = app.token("IOM", "iom_reception");
    let q = "mutation($i: MigrantSections!, $k: String) { registerMigrant(input: $i, idempotencyKey: $k) { id } }";
    let mut p = person("Ana", "Chun", 1);
    // Reception writes neither HEALTH nor PROTECTION.
    p.as_object_mut()
        .unwrap()
        .retain(|k, _| k != "health" && k != "protection");
    let vars = json!({"i": p, "k": "intake-0001"});
    let (_, first) = app.gql(&token, q, vars.clone()).await;
    let (_, again) = app.gql(&token, q, vars).await;
    assert!(
        first["data"]["registerMigrant"]["id"].is_string(),
        "{first}"
    );
    assert_eq!(
        first["data"]["registerMigrant"]["id"], again["data"]["registerMigrant"]["id"],
        "{again}"
    );
    let (_, body) = app
        .gql(&token, "{ migrants { totalCount } }", json!({}))
        .await;
    assert_eq!(body["data"]["migrants"]["totalCount"], 1);
}

async fn list_queries_cost_constant_statements(app: TestApp) {
    let admin = app.token("IOM", "iom_admin");
    for batch in 0..5 {
        let fields: String = (0..20)
            .map(|i| {
                let n = batch * 20 + i;
                let tag: String = [b'a' + (n / 26) as u8, b'a' + (n % 26) as u8]
                    .iter()
                    .map(|b| *b as char)
                    .collect();
                let p = person("Ana", &format!("Bol{tag}"), n);
                format!(
                    "r{i}: registerMigrant(input: {}) {{ id }} ",
                    graphql_literal(&p)
                )
            })
            .collect();
        let (_, body) = app
            .gql(&admin, &format!("mutation {{ {fields} }}"), json!({}))
            .await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    let (_, body) = app
        .gql(
            &admin,
            "{ migrants(first: 100) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    for id in ids(&body) {
        app.arrive(&id, 2).await;
    }
    let q = "query($n: Int) { migrants(first: $n) { totalCount edges { node { id givenNames originMunicipality { name department { name } } consents { purpose institution { code } } arrivals { arrivedAt } } } } }";
    app.gql(&admin, q, json!({"n": 100})).await; // warm the pool
    let mut costs = Vec::new();
    for n in [5, 100] {
        let before = app.statements().await;
        let (_, body) = app.gql(&admin, q, json!({"n": n})).await;
        assert_eq!(ids(&body).len(), n as usize, "{body}");
        costs.push(app.statements().await - before);
    }
    assert_eq!(costs[0], costs[1], "statements for first:5 vs first:100");
}

/// Turns JSON into a GraphQL input literal (unquoted keys).
fn graphql_literal(v: &Value) -> String {
    match v {
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}: {}", graphql_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(graphql_literal).collect::<Vec<_>>().join(", ")
        ),
        Value::String(s)
            if s.chars().all(|c| c.is_ascii_uppercase() || c == '_') && !s.is_empty() =>
        {
            s.clone()
        }
        other => other.to_string(),
    }
}

db_tests!(
    filters_for_partner_systems,
    search_and_filters_respect_scope,
    arrival_date_filter,
    keyset_pagination,
    invalid_input_names_the_field,
    stale_version_conflicts_and_changes_nothing,
    idempotent_registration,
    list_queries_cost_constant_statements,
);
