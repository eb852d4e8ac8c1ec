//! The platform's `pageSize`/`pageNumber` paging envelope.

use serde_json::{json, Map, Value};

use crate::reply::{bad_request, Reply};
use crate::request::Incoming;

pub(crate) const DEFAULT_PAGE_SIZE: u64 = 25;
pub(crate) const MAX_PAGE_SIZE: u64 = 500;

fn parse_positive(req: &Incoming, key: &str, default: u64) -> Result<u64, Reply> {
    match req.query_first(key) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(bad_request(&req.cid, &format!("The value of {key} must be a positive integer, got \"{v}\""))),
        },
    }
}

/// `base?pageSize=S&pageNumber=N` followed by the request's other query parameters.
pub(crate) fn page_uri(req: &Incoming, base: &str, size: u64, number: u64) -> String {
    let mut extra = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in req.query_pairs() {
        if k != "pageSize" && k != "pageNumber" {
            extra.append_pair(&k, &v);
        }
    }
    let extra = extra.finish();
    let mut s = format!("{base}?pageSize={size}&pageNumber={number}");
    if !extra.is_empty() {
        s.push('&');
        s.push_str(&extra);
    }
    s
}

/// One page of `items` as `{entities, pageSize, pageNumber, total, pageCount, firstUri,
/// selfUri, lastUri, nextUri?, previousUri?}`. The URIs repeat the other query parameters.
pub(crate) fn page(req: &Incoming, base: &str, items: Vec<Value>) -> Result<Value, Reply> {
    let size = parse_positive(req, "pageSize", DEFAULT_PAGE_SIZE)?;
    let number = parse_positive(req, "pageNumber", 1)?;
    if size > MAX_PAGE_SIZE {
        return Err(bad_request(
            &req.cid,
            &format!("The value of pageSize must be between 1 and {MAX_PAGE_SIZE}, got {size}"),
        ));
    }
    let total = items.len() as u64;
    let page_count = total.div_ceil(size);
    let start = usize::try_from(size.saturating_mul(number - 1)).unwrap_or(usize::MAX);
    let take = usize::try_from(size).unwrap_or(usize::MAX);
    let entities: Vec<Value> = items.into_iter().skip(start).take(take).collect();

    let uri = |n: u64| page_uri(req, base, size, n);
    let mut out = Map::new();
    out.insert("entities".into(), Value::Array(entities));
    out.insert("pageSize".into(), json!(size));
    out.insert("pageNumber".into(), json!(number));
    out.insert("total".into(), json!(total));
    out.insert("pageCount".into(), json!(page_count));
    out.insert("firstUri".into(), json!(uri(1)));
    out.insert("selfUri".into(), json!(uri(number)));
    out.insert("lastUri".into(), json!(uri(page_count.max(1))));
    if number < page_count {
        out.insert("nextUri".into(), json!(uri(number + 1)));
    }
    if number > 1 {
        out.insert("previousUri".into(), json!(uri(number - 1)));
    }
    Ok(Value::Object(out))
}
