#![allow(clippy::unwrap_used)]
//! Stateful users and routing queues: the create-read-update-delete flows SDK code runs.

mod common;

use common::*;
use purecore_emulator::{creds, Emulator};
use serde_json::{json, Value};

struct Api<'a> {
    emu: &'a Emulator,
    auth: String,
}

impl Api<'_> {
    async fn new(emu: &Emulator) -> Api<'_> {
        Api { emu, auth: format!("Bearer {}", client_credentials(emu).await) }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let text = body.map(|b| b.to_string()).unwrap_or_default();
        let mut h = vec![("authorization", self.auth.as_str())];
        if !text.is_empty() {
            h.push(("content-type", "application/json"));
        }
        request(self.emu.port(), method, path, &h, text.as_bytes()).await.unwrap()
    }

    async fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let r = self.call(method, path, body).await;
        assert_eq!(r.status, 200, "{method} {path}: {}", r.text());
        if r.body.is_empty() {
            Value::Null
        } else {
            r.json()
        }
    }
}

fn new_user(email: &str) -> Value {
    json!({"name": "Grace Test", "email": email, "divisionId": "00000000-0000-4000-8000-0000000000d1",
           "password": "s3cret!", "department": "QA"})
}

#[tokio::test]
async fn user_lifecycle_with_versions_and_profile_skills() {
    let emu = start().await;
    let api = Api::new(&emu).await;
    let u = api.ok("POST", "/api/v2/users", Some(new_user("grace.test@example.test"))).await;
    let id = u["id"].as_str().unwrap().to_string();
    assert_eq!((u["version"].as_i64(), u["state"].as_str()), (Some(1), Some("active")));
    assert_eq!((u["name"].as_str(), u["department"].as_str()), (Some("Grace Test"), Some("QA")));
    assert_eq!(u["division"]["name"], "Home");
    assert_eq!(u["selfUri"], format!("/api/v2/users/{id}"));
    assert!(u.get("password").is_none(), "the password is never echoed");

    // Duplicate email (any case) → 409.
    let r = api.call("POST", "/api/v2/users", Some(new_user("GRACE.test@example.test"))).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (409, Some("general.conflict")));

    // Read back, with expands.
    let user_path = format!("/api/v2/users/{id}");
    let got = api.ok("GET", &user_path, None).await;
    assert_eq!(got, u);
    let got = api.ok("GET", &format!("{user_path}?expand=profileSkills&expand=presence&expand=whatever"), None).await;
    assert_eq!(got["profileSkills"], json!([]));
    assert_eq!(got["presence"]["presenceDefinition"]["systemPresence"], "Available");

    // Profile skills.
    let skills = json!(["Rust", "Genesys Cloud"]);
    assert_eq!(api.ok("PUT", &format!("{user_path}/profileskills"), Some(skills.clone())).await, skills);
    assert_eq!(api.ok("GET", &format!("{user_path}?expand=profileSkills"), None).await["profileSkills"], skills);
    assert!(api.ok("GET", &user_path, None).await.get("profileSkills").is_none());

    // Updates need the current version.
    let patched =
        api.ok("PATCH", &user_path, Some(json!({"version": 1, "title": "Engineer", "department": null}))).await;
    assert_eq!((patched["version"].as_i64(), patched["title"].as_str()), (Some(2), Some("Engineer")));
    assert!(patched.get("department").is_none(), "null removes a field");
    assert_eq!(patched["name"], "Grace Test");
    let r = api.call("PATCH", &user_path, Some(json!({"version": 1, "title": "Stale"}))).await;
    assert_eq!(r.status, 409);
    let v = r.json();
    assert_eq!(v["code"], "general.conflict");
    assert!(v["message"].as_str().unwrap().contains("version"));
    assert_eq!(api.ok("GET", &user_path, None).await["title"], "Engineer", "a conflict changes nothing");
    let p3 = api
        .ok("PATCH", &user_path, Some(json!({"version": 2, "profileSkills": ["Go"], "manager": creds::USER_ID})))
        .await;
    assert_eq!(p3["version"], 3);
    assert_eq!(p3["manager"]["id"], creds::USER_ID);
    assert_eq!(api.ok("GET", &format!("{user_path}?expand=profileSkills"), None).await["profileSkills"], json!(["Go"]));
    let r = api
        .call(
            "PATCH",
            &format!("/api/v2/users/{}", creds::USER_ID),
            Some(json!({"version": 1, "email": "GRACE.TEST@example.test"})),
        )
        .await;
    assert_eq!(r.status, 409, "taking another user's email");

    // Listing includes the new user.
    let page = api.ok("GET", "/api/v2/users?pageSize=25&pageNumber=3", None).await;
    assert_eq!((page["total"].as_u64(), page["pageCount"].as_u64()), (Some(58), Some(3)));
    assert_eq!(page["entities"].as_array().unwrap().last().unwrap()["id"], id.as_str());
    let only = api.ok("GET", &format!("/api/v2/users?id={id}&id={}", creds::USER_ID), None).await;
    assert_eq!(only["total"], 2);

    // Delete: 200 {}, then 404 everywhere.
    assert_eq!(api.ok("DELETE", &user_path, None).await, json!({}));
    for (method, body) in [("GET", None), ("DELETE", None), ("PATCH", Some(json!({"version": 3})))] {
        let r = api.call(method, &user_path, body).await;
        assert_eq!((r.status, r.json()["code"].as_str()), (404, Some("not.found")), "{method} after delete");
    }
    let r = api.call("PUT", &format!("{user_path}/profileskills"), Some(json!(["x"]))).await;
    assert_eq!(r.status, 404);
    assert_eq!(api.ok("GET", "/api/v2/users", None).await["total"], 57);
    // The email is free again.
    api.ok("POST", "/api/v2/users", Some(new_user("grace.test@example.test"))).await;
}

#[tokio::test]
async fn users_state_filter_and_me() {
    let emu = start().await;
    let api = Api::new(&emu).await;
    let mut body = new_user("idle@example.test");
    body["state"] = json!("inactive");
    let u = api.ok("POST", "/api/v2/users", Some(body)).await;
    assert_eq!(u["state"], "inactive");
    assert_eq!(api.ok("GET", "/api/v2/users", None).await["total"], 57, "state defaults to active");
    assert_eq!(api.ok("GET", "/api/v2/users?state=inactive", None).await["total"], 1);
    assert_eq!(api.ok("GET", "/api/v2/users?state=any", None).await["total"], 58);
    // users/me reflects changes to the built-in user.
    let me_path = format!("/api/v2/users/{}", creds::USER_ID);
    api.ok("PATCH", &me_path, Some(json!({"version": 1, "title": "Robot"}))).await;
    let me = api.ok("GET", "/api/v2/users/me?expand=profileSkills", None).await;
    assert_eq!((me["title"].as_str(), me["version"].as_i64()), (Some("Robot"), Some(2)));
    assert_eq!(me["profileSkills"], json!([]));
    // Reset puts the seed back.
    emu.reset();
    assert_eq!(api.ok("GET", "/api/v2/users?state=any", None).await["total"], 57);
    assert!(api.ok("GET", "/api/v2/users/me", None).await.get("title").is_none());
}

#[tokio::test]
async fn sample_ids_get_generic_answers_and_unknown_ids_404() {
    let emu = start().await;
    let api = Api::new(&emu).await;
    let r = api.ok("GET", "/api/v2/users/sample-userId", None).await;
    assert_eq!(r["selfUri"], "/api/v2/users/sample-userId");
    assert!(api.ok("DELETE", "/api/v2/users/sample-userId", None).await.is_object());
    api.ok("PATCH", "/api/v2/users/sample-userId", Some(json!({"version": 99}))).await;
    api.ok("GET", "/api/v2/routing/queues/sample-queueId", None).await;
    for path in ["/api/v2/users/00000000-0000-4000-8000-ffffffffffff", "/api/v2/routing/queues/nope"] {
        assert_eq!(api.call("GET", path, None).await.status, 404, "{path}");
    }
    assert_eq!(api.ok("GET", "/api/v2/users", None).await["total"], 57, "sample calls change nothing");
}

#[tokio::test]
async fn routing_queue_paging_filters_and_crud() {
    let emu = start().await;
    let api = Api::new(&emu).await;
    let all = api.ok("GET", "/api/v2/routing/queues", None).await;
    assert_eq!(
        (all["total"].as_u64(), all["pageSize"].as_u64(), all["pageCount"].as_u64()),
        (Some(60), Some(25), Some(3))
    );
    assert_eq!(all["nextUri"], "/api/v2/routing/queues?pageSize=25&pageNumber=2");
    let names: Vec<String> =
        all["entities"].as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap().to_string()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "sorted by name");
    let last = api.ok("GET", "/api/v2/routing/queues?pageSize=25&pageNumber=3", None).await;
    assert_eq!(last["entities"].as_array().unwrap().len(), 10);
    assert!(last.get("nextUri").is_none());
    let desc = api.ok("GET", "/api/v2/routing/queues?sortOrder=desc&pageSize=1", None).await;
    assert_eq!(desc["entities"][0]["name"], "VIP Spanish");

    // Name filter: exact (case-insensitive) or with `*` wildcards.
    let exact = api.ok("GET", "/api/v2/routing/queues?name=support%20emea", None).await;
    assert_eq!(exact["total"], 1);
    assert_eq!(exact["entities"][0]["name"], "Support EMEA");
    assert_eq!(api.ok("GET", "/api/v2/routing/queues?name=Support", None).await["total"], 0);
    assert_eq!(api.ok("GET", "/api/v2/routing/queues?name=Support*", None).await["total"], 6);
    assert_eq!(api.ok("GET", "/api/v2/routing/queues?name=*EMEA", None).await["total"], 10);
    let r = api.ok("GET", "/api/v2/routing/queues?name=*ll*&pageSize=5&pageNumber=2", None).await;
    assert_eq!((r["total"].as_u64(), r["entities"].as_array().unwrap().len()), (Some(12), 5));
    assert_eq!(r["firstUri"], "/api/v2/routing/queues?pageSize=5&pageNumber=1&name=*ll*");

    // Create, read, replace, delete.
    let created = api
        .ok(
            "POST",
            "/api/v2/routing/queues",
            Some(json!({
                "name": "Escalations", "description": "Tier 2", "skillEvaluationMethod": "ALL",
                "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 30000},
                "memberCount": 99, "id": "chosen-by-client"
            })),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_ne!(id, "chosen-by-client");
    assert_eq!((created["memberCount"].as_i64(), created["skillEvaluationMethod"].as_str()), (Some(0), Some("ALL")));
    assert_eq!(created["acwSettings"]["timeoutMs"], 30000);
    assert_eq!(created["division"]["name"], "Home");
    assert!(created["dateCreated"].as_str().unwrap().ends_with('Z'));
    let path = format!("/api/v2/routing/queues/{id}");
    assert_eq!(created["selfUri"], path.as_str());
    assert_eq!(api.ok("GET", &path, None).await, created);
    assert_eq!(api.ok("GET", "/api/v2/routing/queues?name=escalations", None).await["entities"][0]["id"], id.as_str());
    assert_eq!(api.ok("GET", "/api/v2/routing/queues", None).await["total"], 61);
    let r = api.call("POST", "/api/v2/routing/queues", Some(json!({"description": "no name"}))).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("body.name"));

    let replaced = api.ok("PUT", &path, Some(json!({"name": "Escalations 2", "scoringMethod": "PriorityOnly"}))).await;
    assert_eq!((replaced["id"].as_str(), replaced["name"].as_str()), (Some(id.as_str()), Some("Escalations 2")));
    assert!(replaced.get("description").is_none(), "PUT replaces the writable fields");
    assert_eq!(replaced["dateCreated"], created["dateCreated"]);
    assert_eq!(api.ok("GET", &path, None).await["scoringMethod"], "PriorityOnly");

    assert_eq!(api.ok("DELETE", &format!("{path}?forceDelete=true"), None).await, Value::Null);
    assert_eq!(api.call("GET", &path, None).await.status, 404);
    assert_eq!(api.call("PUT", &path, Some(json!({"name": "x"}))).await.status, 404);
    assert_eq!(api.call("DELETE", &path, None).await.status, 404);
    assert_eq!(api.ok("GET", "/api/v2/routing/queues", None).await["total"], 60);
}
