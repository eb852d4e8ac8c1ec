//! Walking every page of a listing through the catalog's paging style.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use purecore::paging::page_items;
use serde_json::json;

// scenario: paging.page_number
#[tokio::test]
async fn page_number_listing_ends_exactly_on_the_last_page() {
    let (emu, client) = logged_in().await;
    let mut pager = client.pages("getUsers", json!({"pageSize": 25}).as_object().cloned().unwrap()).unwrap();
    assert_eq!(pager.style(), purecore::catalog::Paging::PageNumber);
    let mut ids = Vec::new();
    let mut pages = 0;
    while let Some(page) = pager.next_page().await.unwrap() {
        pages += 1;
        let body = page.json_value().unwrap();
        ids.extend(page_items(&body).unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()));
    }
    let total = client
        .request(purecore::Request::get("/api/v2/users").query("pageSize", "1"))
        .await
        .unwrap()
        .json_value()
        .unwrap()["total"]
        .as_u64()
        .unwrap();
    assert_eq!(ids.len() as u64, total, "every user once");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no user twice");
    assert_eq!(pages as u64, total.div_ceil(25));
    let sent = emu.requests().iter().filter(|r| r.path == "/api/v2/users" && r.query.contains("pageSize=25")).count();
    assert_eq!(sent, pages, "no request past the last page");
}

#[tokio::test]
async fn max_pages_and_bad_parameters() {
    let (_emu, client) = logged_in().await;
    let mut pager = client
        .pages("getAuthorizationPermissions", json!({"pageSize": 5}).as_object().cloned().unwrap())
        .unwrap()
        .max_pages(2);
    let mut n = 0;
    while pager.next_page().await.unwrap().is_some() {
        n += 1;
    }
    assert_eq!(n, 2);
    let err = client.pages("getUsers", json!({"pageSise": 5}).as_object().cloned().unwrap()).err().unwrap();
    assert_eq!(err.kind(), purecore::ErrorKind::InvalidArgument);
    assert!(err.message().contains("pageSise"));
}
