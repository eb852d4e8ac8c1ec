//! Executing a catalog operation: parameters checked and encoded, then the
//! same session, retry and logging path as [`Client::request`].
//!
//! Parameters are a JSON object keyed by the spec's parameter names
//! (`userId`, `expand`, `body`). A `null` value counts as absent. Encoding:
//! - path: string, number or boolean, percent-escaped as one path segment;
//! - query: scalars as text (`true`/`false` for booleans), arrays by the
//!   parameter's collection format (`multi` repeats the key; `csv`, `ssv`,
//!   `tsv`, `pipes` join); an empty array sends nothing;
//! - header: scalars as text;
//! - body: the JSON value as given (explicit `null` fields inside it stay);
//! - formData: a form body of scalars.
//!
//! Dates are sent as given: bindings turn their date values into ISO-8601
//! strings before calling.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use purecore_catalog::{CollectionFormat, Location, Operation};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::{Body, Request};
use crate::response::Response;

/// Everything but RFC 3986 unreserved characters is escaped in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The catalog entry of an operation id, or an error naming it.
pub fn operation(operation_id: &str) -> Result<&'static Operation> {
    purecore_catalog::catalog()
        .get(operation_id)
        .ok_or_else(|| Error::invalid_argument(format!("unknown operation '{operation_id}'")))
}

fn scalar_text(op: &Operation, name: &str, v: &Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => {
            Err(Error::invalid_argument(format!("parameter '{name}' of {} must be a string, number or boolean", op.id)))
        }
    }
}

/// Builds the request for `op` from `params`, checking every parameter
/// before anything is sent.
pub fn build_request(op: &Operation, params: &Map<String, Value>) -> Result<Request> {
    for key in params.keys() {
        if op.param(key).is_none() {
            let known: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::invalid_argument(format!(
                "unknown parameter '{key}' for {}; it takes: {}",
                op.id,
                if known.is_empty() { "no parameters".to_owned() } else { known.join(", ") }
            )));
        }
    }
    let present = |name: &str| params.get(name).filter(|v| !v.is_null());
    for p in op.params.iter().filter(|p| p.required) {
        if present(&p.name).is_none() {
            return Err(Error::invalid_argument(format!("missing required parameter '{}' of {}", p.name, op.id)));
        }
    }

    let mut path = op.path.clone();
    for p in op.params_in(Location::Path) {
        let Some(v) = present(&p.name) else { continue };
        let text = scalar_text(op, &p.name, v)?;
        if text.is_empty() {
            return Err(Error::invalid_argument(format!("parameter '{}' of {} must not be empty", p.name, op.id)));
        }
        let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
        path = path.replace(&format!("{{{}}}", p.name), &encoded);
    }

    let mut req = Request::new(&op.method, path);
    req.auth = op.auth;
    for p in op.params_in(Location::Query) {
        let Some(v) = present(&p.name) else { continue };
        match v {
            Value::Array(items) => {
                let texts = items.iter().map(|i| scalar_text(op, &p.name, i)).collect::<Result<Vec<_>>>()?;
                if texts.is_empty() {
                    continue;
                }
                let sep = match p.collection.unwrap_or(CollectionFormat::Csv) {
                    CollectionFormat::Multi => {
                        req.query.extend(texts.into_iter().map(|t| (p.name.clone(), t)));
                        continue;
                    }
                    CollectionFormat::Csv => ",",
                    CollectionFormat::Ssv => " ",
                    CollectionFormat::Tsv => "\t",
                    CollectionFormat::Pipes => "|",
                };
                req.query.push((p.name.clone(), texts.join(sep)));
            }
            other => req.query.push((p.name.clone(), scalar_text(op, &p.name, other)?)),
        }
    }
    for p in op.params_in(Location::Header) {
        if let Some(v) = present(&p.name) {
            req.headers.push((p.name.clone(), scalar_text(op, &p.name, v)?));
        }
    }
    if let Some(b) = op.body() {
        if let Some(v) = present(&b.name) {
            req.body = Body::Json(bytes::Bytes::from(
                serde_json::to_vec(v)
                    .map_err(|e| Error::invalid_argument(format!("body of {} cannot be serialised: {e}", op.id)))?,
            ));
        }
    }
    let form: Vec<(String, String)> = op
        .params_in(Location::FormData)
        .filter_map(|p| present(&p.name).map(|v| (p, v)))
        .map(|(p, v)| scalar_text(op, &p.name, v).map(|t| (p.name.clone(), t)))
        .collect::<Result<_>>()?;
    if !form.is_empty() {
        req.body = Body::Form(form);
    }
    Ok(req)
}

impl Client {
    /// Calls an operation of the Platform API by id (`getUsersMe`, `postUsers`...).
    /// A missing required or unknown parameter fails before any request.
    pub async fn call(&self, operation_id: &str, params: &Map<String, Value>) -> Result<Response> {
        self.call_with_headers(operation_id, params, &[]).await
    }

    /// [`Client::call`] with per-call headers (they override default headers).
    pub async fn call_with_headers(
        &self,
        operation_id: &str,
        params: &Map<String, Value>,
        headers: &[(String, String)],
    ) -> Result<Response> {
        let op = operation(operation_id)?;
        let mut req = build_request(op, params)?;
        req.headers.extend(headers.iter().cloned());
        self.send(req, Some(operation_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use purecore_catalog::{Paging, Param, TypeRef};
    use serde_json::json;

    fn param(name: &str, location: Location, required: bool, ty: TypeRef, cf: Option<CollectionFormat>) -> Param {
        Param { name: name.into(), location, required, ty, collection: cf, enum_values: vec![], default: None }
    }

    fn op() -> Operation {
        let s = || TypeRef::String { format: None };
        let arr = || TypeRef::Array(Box::new(TypeRef::String { format: None }));
        Operation {
            id: "getThing".into(),
            class: "ThingsApi".into(),
            tags: vec!["Things".into()],
            method: "GET".into(),
            path: "/api/v2/things/{thingId}/parts/{partId}".into(),
            params: vec![
                param("thingId", Location::Path, true, s(), None),
                param("partId", Location::Path, true, s(), None),
                param("expand", Location::Query, false, arr(), Some(CollectionFormat::Multi)),
                param("fields", Location::Query, false, arr(), Some(CollectionFormat::Csv)),
                param("piped", Location::Query, false, arr(), Some(CollectionFormat::Pipes)),
                param("active", Location::Query, false, TypeRef::Boolean, None),
                param("pageSize", Location::Query, false, TypeRef::Integer { format: None }, None),
                param("after", Location::Query, false, TypeRef::String { format: Some("date-time".into()) }, None),
                param("If-Match", Location::Header, false, s(), None),
                param("body", Location::Body, false, TypeRef::Ref("Thing".into()), None),
            ],
            response: None,
            success_status: 200,
            deprecated: false,
            preview: false,
            auth: true,
            consumes: None,
            produces: None,
            paging: Paging::None,
        }
    }

    fn build(v: Value) -> Result<Request> {
        build_request(&op(), v.as_object().unwrap())
    }

    #[test]
    fn golden_encoding() {
        let r = build(json!({
            "thingId": "a/b c?d#e%f",
            "partId": 42,
            "expand": ["x", "y"],
            "fields": ["id", "name"],
            "piped": ["p", "q"],
            "active": false,
            "pageSize": 0,
            "after": "2026-11-21T10:00:00.000Z",
            "If-Match": "\"3\"",
            "body": {"name": "n", "description": null, "tags": []}
        }))
        .unwrap();
        assert_eq!(r.path, "/api/v2/things/a%2Fb%20c%3Fd%23e%25f/parts/42");
        let q: Vec<(&str, &str)> = r.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            q,
            vec![
                ("expand", "x"),
                ("expand", "y"),
                ("fields", "id,name"),
                ("piped", "p|q"),
                ("active", "false"),
                ("pageSize", "0"),
                ("after", "2026-11-21T10:00:00.000Z"),
            ]
        );
        assert_eq!(r.headers, vec![("If-Match".to_string(), "\"3\"".to_string())]);
        let Body::Json(body) = &r.body else { panic!("JSON body expected") };
        assert_eq!(std::str::from_utf8(body).unwrap(), r#"{"description":null,"name":"n","tags":[]}"#);
    }

    #[test]
    fn absent_null_and_empty() {
        let r = build(json!({"thingId": "t", "partId": "p", "expand": [], "active": null, "body": null})).unwrap();
        assert_eq!(r.path, "/api/v2/things/t/parts/p");
        assert!(r.query.is_empty(), "empty arrays and nulls send nothing: {:?}", r.query);
        assert!(matches!(r.body, Body::None));
    }

    #[test]
    fn bad_parameters_are_named() {
        let e = build(json!({"thingId": "t"})).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        assert_eq!(e.message(), "missing required parameter 'partId' of getThing");
        let e = build(json!({"thingId": "t", "partId": null})).unwrap_err();
        assert!(e.message().contains("'partId'"));
        let e = build(json!({"thingId": "t", "partId": "p", "expnad": ["x"]})).unwrap_err();
        assert!(e.message().starts_with("unknown parameter 'expnad' for getThing"), "{e}");
        let e = build(json!({"thingId": {"a": 1}, "partId": "p"})).unwrap_err();
        assert!(e.message().contains("'thingId'"), "{e}");
        let e = build(json!({"thingId": "", "partId": "p"})).unwrap_err();
        assert!(e.message().contains("must not be empty"), "{e}");
        assert!(operation("getNoSuchThing").unwrap_err().message().contains("getNoSuchThing"));
    }

    #[test]
    fn the_real_catalog_is_embedded() {
        let op = operation("getUsersMe").unwrap();
        assert_eq!(op.method, "GET");
        assert_eq!(op.path, "/api/v2/users/me");
        let r = build_request(op, json!({"expand": ["presence", "authorization"]}).as_object().unwrap()).unwrap();
        assert_eq!(r.query.len(), 2);
        assert!(purecore_catalog::catalog().len() > 3000);
    }
}
