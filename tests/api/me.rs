//! `me` answers for every role with the slices of DESIGN §2.

use serde_json::json;

use crate::db_tests;
use crate::support::TestApp;

const ME: &str =
    "{ me { subject role institution { code name kind } readableSlices writableSlices } }";

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

async fn me_for_every_role(app: TestApp) {
    let cases = [
        ("IOM", "iom_admin", "OPERATOR", 13, 11),
        ("IOM", "iom_caseworker", "OPERATOR", 13, 11),
        ("IOM", "iom_reception", "OPERATOR", 8, 8),
        ("IOM", "auditor", "OPERATOR", 0, 0),
        ("MINEX", "foreign_affairs_officer", "FOREIGN_AFFAIRS", 8, 2),
        ("MINTRAB", "labour_officer", "LABOUR", 7, 2),
        ("USAC", "university_officer", "UNIVERSITY", 6, 1),
        ("UVG", "university_officer", "UNIVERSITY", 6, 1),
    ];
    for (inst, role, kind, readable, writable) in cases {
        let token = app.token_as(inst, role, &format!("someone@{inst}"));
        let (status, body) = app.gql(&token, ME, json!({})).await;
        assert_eq!(status, 200, "{body}");
        let me = &body["data"]["me"];
        assert_eq!(me["subject"], format!("someone@{inst}"));
        assert_eq!(me["role"], role);
        assert_eq!(me["institution"]["code"], inst);
        assert_eq!(me["institution"]["kind"], kind);
        assert_eq!(
            strings(&me["readableSlices"]).len(),
            readable,
            "{role}: {me}"
        );
        assert_eq!(
            strings(&me["writableSlices"]).len(),
            writable,
            "{role}: {me}"
        );
    }
}

async fn me_slices_match_design(app: TestApp) {
    let token = app.token("MINTRAB", "labour_officer");
    let (_, body) = app.gql(&token, ME, json!({})).await;
    let me = &body["data"]["me"];
    assert_eq!(
        strings(&me["readableSlices"]),
        [
            "IDENTITY",
            "CONTACT",
            "ORIGIN",
            "SKILLS",
            "EMPLOYMENT",
            "ENTERPRISE",
            "CONSENT"
        ]
    );
    assert_eq!(strings(&me["writableSlices"]), ["SKILLS", "EMPLOYMENT"]);
    let token = app.token("MINEX", "foreign_affairs_officer");
    let (_, body) = app.gql(&token, ME, json!({})).await;
    assert_eq!(
        strings(&body["data"]["me"]["writableSlices"]),
        ["HEALTH", "ASSISTANCE"]
    );
}

async fn only_iom_admin_manages_institutions(app: TestApp) {
    let q = "mutation { createInstitution(input: {code: \"usfq\", name: \"Universidad Nueva\", kind: UNIVERSITY}) { code kind active } }";
    let (_, body) = app
        .gql(&app.token("IOM", "iom_caseworker"), q, json!({}))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    let admin = app.token("IOM", "iom_admin");
    let (_, body) = app.gql(&admin, q, json!({})).await;
    assert_eq!(body["data"]["createInstitution"]["code"], "USFQ", "{body}");
    let (_, body) = app.gql(&admin, q, json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CONFLICT",
        "{body}"
    );
    let (_, body) = app
        .gql(&app.token("USFQ", "university_officer"), ME, json!({}))
        .await;
    assert_eq!(
        body["data"]["me"]["institution"]["name"],
        "Universidad Nueva"
    );
    let bad = "mutation { createInstitution(input: {code: \"a b\", name: \"x\", kind: LABOUR}) { code } }";
    let (_, body) = app.gql(&admin, bad, json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "code", "{body}");
    let stale = "mutation { setInstitutionActive(code: \"USFQ\", active: false, expectedVersion: 7) { version } }";
    let (_, body) = app.gql(&admin, stale, json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CONFLICT",
        "{body}"
    );
    let (_, body) = app
        .gql(&admin, "{ institutions { code active } }", json!({}))
        .await;
    let list = body["data"]["institutions"].as_array().unwrap();
    assert_eq!(list.len(), 7);
    assert!(list.iter().all(|i| i["active"] == true));
}

db_tests!(
    me_for_every_role,
    me_slices_match_design,
    only_iom_admin_manages_institutions
);
