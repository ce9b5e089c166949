//! A flight's passenger list (`flight { arrivals(status) }`) for reception.

use serde_json::{json, Value};

use crate::arrival_day::{manifest_line, schedule, IMPORT};
use crate::db_tests;
use crate::support::{error_code, TestApp};

const LIST: &str = "query($f: ID!, $s: ArrivalStatus) { flight(id: $f) { arrivals(status: $s, first: 10) { totalCount edges { node { id familyNames arrivals { status flightId } } } } } }";

async fn passengers(app: &TestApp, token: &str, flight: &str, status: Value) -> Value {
    let (_, body) = app
        .gql(token, LIST, json!({"f": flight, "s": status}))
        .await;
    body
}

fn ids(body: &Value) -> Vec<String> {
    body["data"]["flight"]["arrivals"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect()
}

async fn passenger_list_by_status(app: TestApp) {
    let flight = schedule(&app, "GUA-T-PAX").await;
    let other = schedule(&app, "GUA-T-OTHER").await;
    let reception = app.token("IOM", "iom_reception");
    let rows = json!([manifest_line(1), manifest_line(2), manifest_line(3)]);
    let (_, body) = app
        .gql(&reception, IMPORT, json!({"f": flight, "rows": rows}))
        .await;
    let accepted = body["data"]["importManifest"]["accepted"].clone();
    let (_, _) = app
        .gql(
            &reception,
            IMPORT,
            json!({"f": other, "rows": [manifest_line(9)]}),
        )
        .await;
    let q = "mutation($a: ID!) { markArrived(arrivalId: $a) { status } }";
    let (_, body) = app
        .gql(&reception, q, json!({"a": accepted[0]["arrivalId"]}))
        .await;
    assert_eq!(body["data"]["markArrived"]["status"], "ARRIVED", "{body}");

    let all = passengers(&app, &reception, &flight, Value::Null).await;
    assert_eq!(all["data"]["flight"]["arrivals"]["totalCount"], 3, "{all}");
    let mut expected: Vec<String> = (0..3)
        .map(|i| accepted[i]["migrantId"].as_str().unwrap().to_string())
        .collect();
    let mut got = ids(&all);
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "only this flight's people");

    let arrived = passengers(&app, &reception, &flight, json!("ARRIVED")).await;
    assert_eq!(ids(&arrived), vec![expected_id(&accepted, 0)]);
    let node = &arrived["data"]["flight"]["arrivals"]["edges"][0]["node"];
    assert_eq!(node["arrivals"][0]["status"], "ARRIVED", "{arrived}");
    let waiting = passengers(&app, &reception, &flight, json!("EXPECTED")).await;
    assert_eq!(waiting["data"]["flight"]["arrivals"]["totalCount"], 2);
    assert!(!ids(&waiting).contains(&expected_id(&accepted, 0)));
}

fn expected_id(accepted: &Value, i: usize) -> String {
    accepted[i]["migrantId"].as_str().unwrap().to_string()
}

async fn passenger_list_needs_flights_and_return(app: TestApp) {
    let flight = schedule(&app, "GUA-T-PAX2").await;
    let reception = app.token("IOM", "iom_reception");
    app.gql(
        &reception,
        IMPORT,
        json!({"f": flight, "rows": [manifest_line(4)]}),
    )
    .await;
    for (inst, role) in [
        ("MINTRAB", "labour_officer"),
        ("USAC", "university_officer"),
    ] {
        let body = passengers(&app, &app.token(inst, role), &flight, Value::Null).await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("FORBIDDEN"),
            "{inst}: {body}"
        );
        assert!(!body.to_string().contains("Xoc"), "no names leak: {body}");
    }
}

db_tests!(
    passenger_list_by_status,
    passenger_list_needs_flights_and_return,
);
