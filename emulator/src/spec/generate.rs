//! Generated responses: a body shaped like the operation's response type, deterministic per
//! request (seeded from method, path, query and body with FNV-1a; every value is a hash of
//! the seed and its JSON path, so nothing is random).
//!
//! Rules (see README.md): models with all their properties (optional nested models to depth
//! 3, then omitted; required properties always), arrays of 1–2 items, maps with one key, strings by format and name (`date-time`
//! → a fixed ISO-8601 instant, `date`, `uri`, ids → UUID-looking strings, `email`, `name`),
//! enums → one of their values, small numbers. `selfUri` is the request path; listings (a
//! model with `entities`) are one last page consistent with `pageSize`/`pageNumber`; the
//! continuation fields `nextUri`, `nextPage`, `cursor` and `cursors` are never generated at
//! the top level, so SDK page iterators stop.

use hyper::Method;
use purecore_catalog::{Model, Models, Operation, TypeRef};
use serde_json::{json, Map, Value};

use super::{fnv1a, uuid_from, DATE, DATE_TIME, LOCAL_DATE_TIME};
use crate::api::paging::{page_uri, DEFAULT_PAGE_SIZE};
use crate::reply::Reply;
use crate::request::Incoming;

/// Nested models deeper than this below the top-level value are omitted.
pub(crate) const MAX_DEPTH: usize = 3;
/// Upper bound on generated values per response; past it, nested models and arrays are omitted.
const BUDGET: usize = 1_500;
/// Top-level fields that would make a paging loop continue.
const CONTINUATIONS: [&str; 4] = ["nextUri", "nextPage", "cursor", "cursors"];

/// The seed of a request: FNV-1a of method, path (without gateway prefix), query and body.
pub(crate) fn seed(req: &Incoming) -> u64 {
    fnv1a(&[req.method.as_str().as_bytes(), req.route_path.as_bytes(), req.query.as_bytes(), &req.body])
}

/// The generic answer of `op`: its success status with a generated body (none for `HEAD`,
/// for operations without a response type, and for 204).
pub(crate) fn answer(op: &Operation, models: &Models, req: &Incoming) -> Reply {
    let status = op.success_status;
    let Some(ty) = &op.response else {
        return Reply::empty(status);
    };
    if status == 204 || req.method == Method::HEAD {
        return Reply::empty(status);
    }
    let seed = seed(req);
    match op.produces.as_deref() {
        Some(ct) if ct.starts_with("text/calendar") => {
            Reply::new(status, Some("text/calendar; charset=utf-8"), calendar(seed))
        }
        Some(ct) if !ct.contains("json") => {
            let text = format!("Sample {} text {:08x}\n", op.id, seed & 0xffff_ffff);
            Reply::new(status, Some(&format!("{ct}; charset=utf-8")), text)
        }
        _ => Reply::json(status, &body(models, ty, seed, req)),
    }
}

/// The generated JSON body for `ty`, with the top-level fix-ups for `req`.
pub(crate) fn body(models: &Models, ty: &TypeRef, seed: u64, req: &Incoming) -> Value {
    let mut g = Generator { models, seed, budget: BUDGET, path: &req.route_path };
    let mut v = g.value(ty, "", &[], "$", 0, "", true).unwrap_or(Value::Null);
    if let (Value::Object(obj), TypeRef::Ref(name)) = (&mut v, ty) {
        for k in CONTINUATIONS {
            obj.remove(k);
        }
        if let Some(model) = models.get(name) {
            listing(obj, model, req);
        }
    }
    v
}

/// A minimal iCalendar document.
fn calendar(seed: u64) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//purecore-emulator//EN\r\nBEGIN:VEVENT\r\nUID:{}\r\n\
         DTSTAMP:20240102T030405Z\r\nDTSTART:20240102T090000Z\r\nDTEND:20240102T170000Z\r\n\
         SUMMARY:Sample shift\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        uuid_from(seed)
    )
}

/// A positive integer query parameter, or the default.
fn positive(req: &Incoming, key: &str, default: u64) -> u64 {
    req.query_first(key).and_then(|v| v.trim().parse::<u64>().ok()).filter(|n| *n >= 1).unwrap_or(default)
}

/// Makes a generated listing one consistent last page: `entities` cut to `pageSize`, and
/// the paging fields the model declares set from `pageSize` / `pageNumber`.
fn listing(obj: &mut Map<String, Value>, model: &Model, req: &Incoming) {
    if model.property("entities").is_none() {
        return;
    }
    let size = positive(req, "pageSize", DEFAULT_PAGE_SIZE);
    let number = positive(req, "pageNumber", 1);
    let count = match obj.get_mut("entities") {
        Some(Value::Array(items)) => {
            items.truncate(usize::try_from(size).unwrap_or(usize::MAX));
            items.len() as u64
        }
        _ => 0,
    };
    let base = req.route_path.as_str();
    let total = size.saturating_mul(number - 1).saturating_add(count);
    let fields = [
        ("pageSize", json!(size)),
        ("pageNumber", json!(number)),
        ("total", json!(total)),
        ("pageCount", json!(number)),
        ("firstUri", json!(page_uri(req, base, size, 1))),
        ("selfUri", json!(page_uri(req, base, size, number))),
        ("lastUri", json!(page_uri(req, base, size, number))),
        ("previousUri", json!(page_uri(req, base, size, number.saturating_sub(1).max(1)))),
    ];
    for (k, v) in fields {
        // Only where the model declares the field with the matching JSON type.
        let fits = model.property(k).is_some_and(|p| match p.ty {
            TypeRef::Integer { .. } | TypeRef::Number { .. } => v.is_number(),
            TypeRef::String { .. } => v.is_string(),
            _ => false,
        });
        if fits {
            obj.insert(k.to_string(), v);
        }
    }
    if number == 1 {
        obj.remove("previousUri");
    }
}

struct Generator<'a> {
    models: &'a Models,
    seed: u64,
    budget: usize,
    /// The request path (no query), for `selfUri`.
    path: &'a str,
}

impl Generator<'_> {
    /// A value of type `ty` for the property `name` of model `owner`; `key` is its JSON path
    /// (the hash input). `None` means "leave the property out" (too deep or over budget);
    /// `required` values are always generated (required chains are finite in the spec).
    #[allow(clippy::too_many_arguments)]
    fn value(
        &mut self,
        ty: &TypeRef,
        name: &str,
        enums: &[String],
        key: &str,
        depth: usize,
        owner: &str,
        required: bool,
    ) -> Option<Value> {
        self.budget = self.budget.saturating_sub(1);
        let h = fnv1a(&[&self.seed.to_le_bytes(), key.as_bytes()]);
        let v = match ty {
            TypeRef::String { format } => Value::String(string(format.as_deref(), name, enums, h, owner)),
            TypeRef::Integer { .. } => json!(1 + h % 100),
            TypeRef::Number { .. } => json!((h % 1000) as f64 / 10.0 + 0.25),
            TypeRef::Boolean => Value::Bool(h & 1 == 1),
            TypeRef::Object => json!({}),
            TypeRef::File => Value::String(String::new()),
            TypeRef::Array(inner) => {
                if self.budget == 0 && !required {
                    return None;
                }
                let n = if self.budget == 0 { 1 } else { 1 + (h >> 8) % 2 };
                let items: Vec<Value> = (0..n)
                    .filter_map(|i| self.value(inner, name, enums, &format!("{key}[{i}]"), depth, owner, required))
                    .collect();
                if items.is_empty() {
                    return None;
                }
                Value::Array(items)
            }
            TypeRef::Map(inner) => {
                if self.budget == 0 && !required {
                    return None;
                }
                let item = self.value(inner, name, enums, &format!("{key}.key1"), depth, owner, required)?;
                json!({ "key1": item })
            }
            TypeRef::Ref(model_name) => {
                if !required && (depth > MAX_DEPTH || self.budget == 0) {
                    return None;
                }
                let Some(model) = self.models.get(model_name) else {
                    return Some(json!({}));
                };
                Value::Object(self.object(model, key, depth))
            }
        };
        Some(v)
    }

    fn object(&mut self, model: &Model, key: &str, depth: usize) -> Map<String, Value> {
        let mut obj = Map::new();
        for p in &model.properties {
            let child = format!("{key}.{}", p.name);
            let required = model.required.contains(&p.name);
            if let Some(v) = self.value(&p.ty, &p.name, &p.enum_values, &child, depth + 1, &model.name, required) {
                obj.insert(p.name.clone(), v);
            }
        }
        if obj.contains_key("selfUri") {
            let self_uri = match obj.get("id").and_then(Value::as_str) {
                _ if key == "$" => self.path.to_string(),
                Some(id) => format!("{}/{id}", self.path),
                None => self.path.to_string(),
            };
            obj.insert("selfUri".into(), Value::String(self_uri));
        }
        obj
    }
}

/// A string value by format, then by property name.
fn string(format: Option<&str>, name: &str, enums: &[String], h: u64, owner: &str) -> String {
    if !enums.is_empty() {
        let i = usize::try_from(h % enums.len() as u64).unwrap_or(0);
        return enums[i].clone();
    }
    let short = h & 0xffff;
    match format {
        Some("date-time") => return DATE_TIME.to_string(),
        Some("date") => return DATE.to_string(),
        Some("local-date-time") => return LOCAL_DATE_TIME.to_string(),
        Some("uri") | Some("url") => return format!("https://api.example.test/{name}/{short:04x}"),
        _ => {}
    }
    let lower = name.to_ascii_lowercase();
    if name == "id" || name.ends_with("Id") || name.ends_with("Ids") || lower == "guid" {
        uuid_from(h)
    } else if lower.ends_with("uri") || lower.ends_with("url") {
        format!("https://api.example.test/{name}/{short:04x}")
    } else if lower.ends_with("email") {
        format!("user.{short:04x}@example.test")
    } else if name == "name" && !owner.is_empty() {
        format!("{owner} {short:04x}")
    } else if name.is_empty() {
        format!("sample-{short:04x}")
    } else {
        format!("{name}-{short:04x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_by_format_and_name() {
        assert_eq!(string(Some("date-time"), "x", &[], 1, ""), DATE_TIME);
        assert_eq!(string(Some("date"), "x", &[], 1, ""), DATE);
        assert!(string(Some("uri"), "x", &[], 1, "").starts_with("https://api.example.test/"));
        assert_eq!(string(None, "userId", &[], 7, "").len(), 36);
        assert!(string(None, "email", &[], 7, "").ends_with("@example.test"));
        assert!(string(None, "name", &[], 7, "Queue").starts_with("Queue "));
        let e = vec!["A".to_string(), "B".to_string()];
        assert!(e.contains(&string(None, "state", &e, 7, "")));
    }
}

#[cfg(test)]
mod catalog_tests {
    use super::*;

    pub(crate) fn incoming(method: &str, path: &str, query: &str) -> Incoming {
        Incoming {
            method: Method::from_bytes(method.as_bytes()).unwrap(),
            path: path.to_string(),
            route_path: path.to_string(),
            prefix: String::new(),
            query: query.to_string(),
            headers: hyper::HeaderMap::new(),
            body: bytes::Bytes::new(),
            cid: "cid".to_string(),
        }
    }

    #[test]
    fn every_response_is_bounded_and_deterministic() {
        let models = purecore_catalog::models();
        let mut largest = (0, String::new());
        for op in purecore_catalog::catalog().operations() {
            let req = incoming(&op.method, &op.path, "");
            let a = answer(op, models, &req);
            assert_eq!(a.body, answer(op, models, &req).body, "{}", op.id);
            if a.body.len() > largest.0 {
                largest = (a.body.len(), op.id.clone());
            }
        }
        println!("largest generated response: {} bytes ({})", largest.0, largest.1);
        assert!(largest.0 < 512 * 1024, "{largest:?}");
    }

    #[test]
    fn every_generated_body_matches_its_type() {
        let models = purecore_catalog::models();
        let mut bad = Vec::new();
        for op in purecore_catalog::catalog().operations() {
            let (Some(ty), None) = (&op.response, &op.produces) else { continue };
            let req = incoming(&op.method, &op.path, "pageSize=2&pageNumber=2");
            let v = body(models, ty, seed(&req), &req);
            if let Err(e) = crate::spec::validate::check_value(models, ty, &[], &v, "response") {
                bad.push(format!("{}: {e}", op.id));
            }
        }
        assert!(bad.is_empty(), "{} bodies do not match:\n{}", bad.len(), bad.join("\n"));
    }
}
