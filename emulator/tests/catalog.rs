#![allow(clippy::unwrap_used)]
//! The whole catalog over HTTP: routing, validation errors, generated responses, samples.

mod common;

use common::*;
use purecore_emulator::{creds, Emulator};
use serde_json::{json, Value};

/// One request with an optional bearer token and body (with its content type).
async fn send(emu: &Emulator, method: &str, path: &str, token: &str, ct: Option<&str>, body: &str) -> Resp {
    let auth = format!("Bearer {token}");
    let mut h = vec![("authorization", auth.as_str())];
    if let Some(ct) = ct {
        h.push(("content-type", ct));
    }
    request(emu.port(), method, path, &h, body.as_bytes()).await.unwrap()
}

fn assert_bad_request(r: &Resp, needle: &str) {
    assert_eq!(r.status, 400, "{}", r.text());
    let v = r.json();
    assert_eq!(v["code"], "bad.request");
    assert_eq!(v["status"], 400);
    assert_eq!(v["details"], json!([]));
    assert_eq!(v["errors"], json!([]));
    assert_eq!(v["contextId"], r.header("inin-correlation-id").unwrap());
    let message = v["message"].as_str().unwrap();
    assert!(message.contains(needle), "message {message:?} should contain {needle:?}");
}

#[tokio::test]
async fn routing_picks_literal_or_parameter_by_path_and_method() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    // Literal `divisionviews` (a generated listing) beats `{queueId}` (the stateful queues).
    let r = get(&emu, "/api/v2/routing/queues/divisionviews", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert!(r.json()["entities"].is_array(), "{}", r.text());
    let r = get(&emu, "/api/v2/routing/queues/divisionviewsX", Some(&t)).await;
    assert_eq!(r.status, 404, "an unknown queue id");
    // `users/me` is a literal for GET only: DELETE goes to deleteUser with userId "me".
    assert_eq!(get(&emu, "/api/v2/users/me", Some(&t)).await.json()["id"], creds::USER_ID);
    let r = send(&emu, "DELETE", "/api/v2/users/me", &t, None, "").await;
    assert_eq!(r.status, 404);
    assert!(r.json()["message"].as_str().unwrap().contains("user me"));
    // Any catalog operation answers; unknown paths and methods stay 404.
    let r = get(&emu, "/api/v2/telephony/providers/edges/sites/sample-siteId", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["selfUri"], "/api/v2/telephony/providers/edges/sites/sample-siteId");
    for (method, path) in [("GET", "/api/v2/telephony/nope"), ("PATCH", "/api/v2/tokens/me")] {
        let r = send(&emu, method, path, &t, None, "").await;
        assert_eq!((r.status, r.json()["code"].as_str()), (404, Some("not.found")), "{method} {path}");
    }
    let c = emu.counters();
    assert_eq!(c.api_requests_by_route["GET /api/v2/routing/queues/divisionviews"], 1);
}

#[tokio::test]
async fn authentication_follows_the_operation() {
    let emu = start().await;
    let r = get(&emu, "/api/v2/routing/queues/divisionviews", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["code"], "bad.credentials");
    // `security: []` operations need no token; they still carry the rate-limit headers.
    let r = get(&emu, "/api/v2/workforcemanagement/calendar/data/ics?calendarId=c1", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.header("content-type").unwrap().starts_with("text/calendar"));
    assert!(r.text().starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(r.header("inin-ratelimit-allowed").is_some());
    assert!(r.header("inin-correlation-id").is_some());
    let r = get(&emu, "/api/v2/workforcemanagement/calendar/data/ics", None).await;
    assert_bad_request(&r, "Missing required query parameter 'calendarId'");
}

#[tokio::test]
async fn validation_errors_name_the_problem() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let json_ct = Some("application/json");
    // Required query parameters, by name.
    let r = get(&emu, "/api/v2/analytics/reporting/settings/dashboards/query?dashboardType=All", Some(&t)).await;
    assert_bad_request(&r, "Missing required query parameter 'dashboardAccessFilter'");
    // Typed query parameters.
    let r = get(&emu, "/api/v2/routing/queues?hasPeer=yes", Some(&t)).await;
    assert_bad_request(&r, "query parameter 'hasPeer' must be true or false, got \"yes\"");
    let r = get(&emu, "/api/v2/groups?pageNumber=1.5", Some(&t)).await;
    assert_bad_request(&r, "query parameter 'pageNumber' must be an integer");
    // Bodies: missing, not JSON, invalid JSON, missing required property, bad enum, wrong type.
    let r = send(&emu, "POST", "/api/v2/users", &t, None, "").await;
    assert_bad_request(&r, "The request body is required (CreateUser)");
    let r = send(&emu, "POST", "/api/v2/users", &t, Some("text/plain"), "name=x").await;
    assert_bad_request(&r, "must be JSON");
    let r = send(&emu, "POST", "/api/v2/users", &t, json_ct, "{\"name\":").await;
    assert_bad_request(&r, "not valid JSON");
    let r = send(&emu, "POST", "/api/v2/users", &t, json_ct, r#"{"name":"n","divisionId":"d"}"#).await;
    assert_bad_request(&r, "body.email: missing required property of CreateUser");
    let body = r#"{"name":"n","email":"x@example.test","divisionId":"d","addresses":[{"type":"FAX2"}]}"#;
    let r = send(&emu, "POST", "/api/v2/users", &t, json_ct, body).await;
    assert_bad_request(&r, "body.addresses[0].type: \"FAX2\" is not one of PRIMARY, WORK");
    let body = r#"{"version":1,"biography":{"hobbies":["chess",7]}}"#;
    let r = send(&emu, "PATCH", &format!("/api/v2/users/{}", creds::USER_ID), &t, json_ct, body).await;
    assert_bad_request(&r, "body.biography.hobbies[1]: expected a string, got an integer 7");
    let r = send(&emu, "PUT", "/api/v2/users/sample-userId/profileskills", &t, json_ct, r#"{"a":1}"#).await;
    assert_bad_request(&r, "body: expected an array");
    // Generic operations validate the same way.
    let body = r#"{"name":"g","type":"nope","visibility":"public","rulesVisible":true}"#;
    let r = send(&emu, "POST", "/api/v2/groups", &t, json_ct, body).await;
    assert_bad_request(&r, "body.type: \"nope\" is not one of");
    // Unknown properties and nulls are tolerated.
    let body = r#"{"name":"g","type":"official","visibility":"public","rulesVisible":null}"#;
    let r = send(&emu, "POST", "/api/v2/groups", &t, json_ct, body).await;
    assert_bad_request(&r, "body.rulesVisible: missing required property of GroupCreate");
    let body =
        r#"{"name":"g","type":"official","visibility":"public","rulesVisible":true,"description":null,"zzz":[1]}"#;
    assert_eq!(send(&emu, "POST", "/api/v2/groups", &t, json_ct, body).await.status, 200);
}

#[tokio::test]
async fn generated_responses_are_deterministic_and_shaped() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let path = "/api/v2/routing/skills/sample-skillId";
    let a = get(&emu, path, Some(&t)).await;
    let b = get(&emu, path, Some(&t)).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("application/json"));
    assert_eq!(a.body, b.body, "same request, same body");
    assert_ne!(a.header("inin-correlation-id"), b.header("inin-correlation-id"));
    assert_ne!(get(&emu, "/api/v2/routing/skills/sample-other", Some(&t)).await.body, a.body);
    let v = a.json();
    assert_eq!(v["selfUri"], path);
    let id = v["id"].as_str().unwrap();
    assert!(id.len() == 36 && id.as_bytes()[14] == b'4', "{id}");
    assert!(v["name"].is_string());
    assert_eq!(v["dateModified"], "2024-01-02T03:04:05.000Z");
    assert!(["active", "inactive", "deleted"].contains(&v["state"].as_str().unwrap()));
    assert!(v["version"].is_string(), "RoutingSkill.version is a string in the definition");

    // A listing is one consistent last page; continuation fields are never generated.
    let v = get(&emu, "/api/v2/routing/skills?pageSize=1&pageNumber=4&name=x", Some(&t)).await.json();
    assert_eq!(v["entities"].as_array().unwrap().len(), 1);
    assert_eq!((v["pageSize"].as_u64(), v["pageNumber"].as_u64()), (Some(1), Some(4)));
    assert_eq!((v["total"].as_u64(), v["pageCount"].as_u64()), (Some(4), Some(4)));
    assert_eq!(v["selfUri"], "/api/v2/routing/skills?pageSize=1&pageNumber=4&name=x");
    assert_eq!(v["previousUri"], "/api/v2/routing/skills?pageSize=1&pageNumber=3&name=x");
    assert!(v.get("nextUri").is_none());
    let v = get(&emu, "/api/v2/analytics/conversations/details/jobs/j1/results", Some(&t)).await.json();
    assert!(v.get("cursor").is_none() && v["conversations"].is_array(), "{v}");

    // Text answers, bodiless operations and HEAD.
    let r = get(&emu, "/api/v2/integrations/actions/a1/templates/t.vm", Some(&t)).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert!(r.text().starts_with("Sample getIntegrationsActionTemplate text"));
    let r = send(&emu, "DELETE", "/api/v2/routing/queues/sample-queueId", &t, None, "").await;
    assert_eq!((r.status, r.body.len(), r.header("content-type")), (200, 0, None));
    let body = r#"{"name":"g","type":"official","visibility":"public","rulesVisible":true}"#;
    let r = send(&emu, "POST", "/api/v2/groups", &t, Some("application/json"), body).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["selfUri"], "/api/v2/groups");
}

#[tokio::test]
async fn faults_and_rate_limits_apply_to_generic_routes() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    emu.push_fault(purecore_emulator::Fault {
        path_contains: Some("/routing/skills".into()),
        ..purecore_emulator::Fault::status(503)
    });
    assert_eq!(get(&emu, "/api/v2/routing/skills", Some(&t)).await.status, 503);
    assert_eq!(get(&emu, "/api/v2/routing/skills", Some(&t)).await.status, 200);
    emu.set_rate_limit(Some(purecore_emulator::RateLimit { per_token: 1, window: std::time::Duration::from_secs(60) }));
    assert_eq!(get(&emu, "/api/v2/routing/skills", Some(&t)).await.status, 200);
    let r = get(&emu, "/api/v2/routing/skills", Some(&t)).await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
}

#[tokio::test]
async fn samples_cover_every_operation() {
    let emu = start().await;
    let r = get(&emu, "/admin/samples", None).await;
    assert_eq!(r.status, 200);
    let listed = r.json()["operations"].as_array().unwrap().clone();
    let catalog = purecore_catalog::catalog();
    assert_eq!(listed.len(), catalog.len());
    let ids: Vec<&str> = listed.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "sorted by id, no duplicates");
    let rust = purecore_emulator::samples();
    assert_eq!(rust.len(), listed.len());
    for (s, l) in rust.iter().zip(&listed) {
        assert_eq!(l["id"], s.id.as_str());
        assert_eq!(l["params"], Value::Object(s.params.clone()));
        let op = catalog.get(&s.id).unwrap();
        assert_eq!((l["method"].as_str(), l["path"].as_str()), (Some(op.method.as_str()), Some(op.path.as_str())));
        for p in &op.params {
            let needed = p.required || p.location == purecore_catalog::Location::Body;
            assert!(!needed || s.params.contains_key(&p.name), "{} lacks {}", s.id, p.name);
        }
        assert!(s.params.keys().all(|k| op.param(k).is_some()), "{}: unknown parameter", s.id);
    }
    let get_user = rust.iter().find(|s| s.id == "getUser").unwrap();
    assert_eq!(get_user.params["userId"], "sample-userId");
    assert_eq!(get_user.params["expand"].as_array().unwrap().len(), 2, "optional multi arrays get two items");
}
