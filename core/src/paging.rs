//! Walking every page of a listing operation, whatever its paging style.
//!
//! The catalog records each operation's style. After each page the pager
//! decides the next request from the reply:
//! - a `nextUri` in the reply is followed, except for `pageNumber` listings,
//!   where `pageNumber` is increased until it reaches `pageCount` (some
//!   platform listings return unreliable `nextUri` values);
//! - `cursor`: the reply's `cursor` (or `cursors.after`) becomes the next `cursor`;
//! - `after`/`before`: the reply's `cursors.after` (or `after`) becomes the next `after`;
//! - `nextPage`: the reply's `nextPage` token becomes the next `nextPage`.
//!
//! Iteration ends when there is no next page, a page is empty, or a reply
//! would lead back to a request already made (so a buggy listing cannot loop).

use std::collections::HashSet;

use purecore_catalog::{Operation, Paging};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Result;
use crate::operation::{build_request, operation};
use crate::request::Request;
use crate::response::Response;

/// Where the next page comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// Call the operation again with these parameters.
    Params(Map<String, Value>),
    /// Follow this path (a `nextUri`).
    Uri(String),
}

/// The items of a page: `entities`, or else the first array in the reply.
pub fn page_items(page: &Value) -> Option<&Vec<Value>> {
    let obj = page.as_object()?;
    if let Some(Value::Array(items)) = obj.get("entities") {
        return Some(items);
    }
    obj.values().find_map(Value::as_array)
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn with(params: &Map<String, Value>, key: &str, value: Value) -> Map<String, Value> {
    let mut p = params.clone();
    p.insert(key.to_owned(), value);
    p
}

/// The next page after `page`, fetched with `params`, for an operation of this style.
pub fn next_page(paging: Paging, params: &Map<String, Value>, page: &Value) -> Option<NextPage> {
    if page_items(page).is_some_and(Vec::is_empty) {
        return None;
    }
    let next_uri = text(page.get("nextUri"));
    match paging {
        Paging::None => None,
        Paging::PageNumber => {
            let current = params
                .get("pageNumber")
                .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
                .or_else(|| page.get("pageNumber").and_then(Value::as_u64))
                .unwrap_or(1);
            match page.get("pageCount").and_then(Value::as_u64) {
                Some(count) if current >= count => None,
                Some(_) => Some(NextPage::Params(with(params, "pageNumber", Value::from(current.saturating_add(1))))),
                None => next_uri.map(NextPage::Uri),
            }
        }
        Paging::Cursor => text(page.get("cursor"))
            .or_else(|| text(page.get("cursors").and_then(|c| c.get("after"))))
            .map(|c| NextPage::Params(with(params, "cursor", Value::String(c))))
            .or_else(|| next_uri.map(NextPage::Uri)),
        Paging::AfterBefore => next_uri.map(NextPage::Uri).or_else(|| {
            text(page.get("cursors").and_then(|c| c.get("after")))
                .or_else(|| text(page.get("after")))
                .map(|a| NextPage::Params(with(params, "after", Value::String(a))))
        }),
        Paging::NextPage => next_uri.map(NextPage::Uri).or_else(|| {
            text(page.get("nextPage")).map(|t| NextPage::Params(with(params, "nextPage", Value::String(t))))
        }),
        Paging::NextUri => next_uri.map(NextPage::Uri),
    }
}

/// Fetches the pages of one listing, one at a time.
pub struct Pager {
    client: Client,
    op: &'static Operation,
    next: Option<NextPage>,
    seen: HashSet<String>,
    max_pages: Option<u32>,
    pages: u32,
}

impl Pager {
    /// Stop after this many pages.
    pub fn max_pages(mut self, n: u32) -> Self {
        self.max_pages = Some(n);
        self
    }

    /// The paging style of the operation.
    pub fn style(&self) -> Paging {
        self.op.paging
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<Response>> {
        if self.max_pages.is_some_and(|m| self.pages >= m) {
            return Ok(None);
        }
        let Some(next) = self.next.take() else { return Ok(None) };
        let (req, params) = match &next {
            NextPage::Params(p) => (build_request(self.op, p)?, Some(p.clone())),
            NextPage::Uri(uri) => {
                let mut r = Request::new(&self.op.method, uri.clone());
                r.auth = self.op.auth;
                (r, None)
            }
        };
        let key = format!("{}?{:?}", req.path, req.query);
        if !self.seen.insert(key) {
            return Ok(None);
        }
        let resp = self.client.send(req, Some(self.op.id.as_str())).await?;
        self.pages = self.pages.saturating_add(1);
        let body = resp.json_value().unwrap_or(Value::Null);
        // A followed nextUri already carries its own query; later pages follow the reply.
        let base = params.unwrap_or_default();
        self.next = next_page(self.op.paging, &base, &body);
        Ok(Some(resp))
    }
}

impl Client {
    /// A pager over every page of a listing operation. Parameters are checked
    /// now; an operation without paging yields one page.
    pub fn pages(&self, operation_id: &str, params: Map<String, Value>) -> Result<Pager> {
        let op = operation(operation_id)?;
        build_request(op, &params)?;
        Ok(Pager {
            client: self.clone(),
            op,
            next: Some(NextPage::Params(params)),
            seen: HashSet::new(),
            max_pages: None,
            pages: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn page_number_ends_exactly_at_page_count() {
        let page = json!({"entities": [1, 2], "pageNumber": 2, "pageCount": 3, "nextUri": "/x?pageNumber=3"});
        assert_eq!(
            next_page(Paging::PageNumber, &p(json!({"pageNumber": 2, "pageSize": 2})), &page),
            Some(NextPage::Params(p(json!({"pageNumber": 3, "pageSize": 2}))))
        );
        let last = json!({"entities": [1], "pageNumber": 3, "pageCount": 3, "nextUri": "/x?pageNumber=4"});
        assert_eq!(next_page(Paging::PageNumber, &p(json!({"pageNumber": 3})), &last), None);
        let no_count = json!({"entities": [1], "nextUri": "/api/v2/x?pageNumber=2"});
        assert_eq!(
            next_page(Paging::PageNumber, &p(json!({})), &no_count),
            Some(NextPage::Uri("/api/v2/x?pageNumber=2".into()))
        );
        assert_eq!(next_page(Paging::PageNumber, &p(json!({})), &json!({"entities": [], "pageCount": 9})), None);
    }

    #[test]
    fn cursor_after_next_page_and_next_uri() {
        let base = p(json!({"pageSize": 10}));
        assert_eq!(
            next_page(Paging::Cursor, &base, &json!({"results": [1], "cursor": "c2"})),
            Some(NextPage::Params(p(json!({"pageSize": 10, "cursor": "c2"}))))
        );
        assert_eq!(next_page(Paging::Cursor, &base, &json!({"results": [1]})), None);
        assert_eq!(
            next_page(Paging::AfterBefore, &base, &json!({"entities": [1], "cursors": {"after": "a2"}})),
            Some(NextPage::Params(p(json!({"pageSize": 10, "after": "a2"}))))
        );
        assert_eq!(
            next_page(Paging::AfterBefore, &base, &json!({"entities": [1], "nextUri": "/api/v2/y?after=a2"})),
            Some(NextPage::Uri("/api/v2/y?after=a2".into()))
        );
        assert_eq!(
            next_page(Paging::NextPage, &base, &json!({"entities": [1], "nextPage": "t2"})),
            Some(NextPage::Params(p(json!({"pageSize": 10, "nextPage": "t2"}))))
        );
        assert_eq!(next_page(Paging::NextUri, &base, &json!({"entities": [1], "nextUri": null})), None);
        assert_eq!(next_page(Paging::None, &base, &json!({"entities": [1], "nextUri": "/z"})), None);
        assert_eq!(page_items(&json!({"conversations": [1, 2], "totalHits": 2})).map(Vec::len), Some(2));
    }
}
