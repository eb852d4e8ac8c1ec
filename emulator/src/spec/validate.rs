//! Checking a request against its catalog operation. The first problem found is returned as
//! the message of a `400 bad.request`, naming the parameter or the JSON path.
//!
//! Rules (see README.md): required path/query/header parameters present; declared enum
//! values (for arrays: each item); integer, number and boolean parameters parse (`true` /
//! `false` only); a required body present; a body sent as JSON unless the operation consumes
//! something else (form fields are checked instead); the JSON shape checked recursively
//! against the type (JSON types, whole integers, enums, required non-read-only properties;
//! `null` is allowed for any property; unknown properties are ignored).

use purecore_catalog::{CollectionFormat, Location, Models, Operation, Param, TypeRef};
use serde_json::{Map, Value};

use super::{describe, json_kind, list_values, snippet};
use crate::request::Incoming;

/// Checks `req` against `op`. `path` holds the decoded path parameters; `check_body` false
/// skips the body (for handlers that check their own).
pub(crate) fn request(
    op: &Operation,
    models: &Models,
    req: &Incoming,
    path: &[(String, String)],
    check_body: bool,
) -> Result<(), String> {
    let query = req.query_pairs();
    for p in &op.params {
        let (place, values): (&str, Vec<&str>) = match p.location {
            Location::Path => ("path", path.iter().filter(|(n, _)| *n == p.name).map(|(_, v)| v.as_str()).collect()),
            Location::Query => ("query", query.iter().filter(|(k, _)| *k == p.name).map(|(_, v)| v.as_str()).collect()),
            Location::Header => (
                "header",
                match hyper::header::HeaderName::from_bytes(p.name.as_bytes()) {
                    Ok(name) => req.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect(),
                    Err(_) => Vec::new(),
                },
            ),
            Location::Body | Location::FormData => continue,
        };
        if values.is_empty() || (p.location == Location::Path && values.iter().all(|v| v.is_empty())) {
            if p.required {
                return Err(format!("Missing required {place} parameter '{}'", p.name));
            }
            continue;
        }
        check_param(p, place, &values)?;
    }
    if check_body {
        body(op, models, req)?;
    }
    Ok(())
}

/// Checks the values one parameter was given (several when the key is repeated).
fn check_param(p: &Param, place: &str, values: &[&str]) -> Result<(), String> {
    match &p.ty {
        TypeRef::Array(inner) => {
            let sep = match p.collection.unwrap_or(CollectionFormat::Csv) {
                // Repeated keys; a comma list in one value is accepted as well.
                CollectionFormat::Multi | CollectionFormat::Csv => ',',
                CollectionFormat::Ssv => ' ',
                CollectionFormat::Tsv => '\t',
                CollectionFormat::Pipes => '|',
            };
            for item in values.iter().flat_map(|v| v.split(sep)).filter(|s| !s.is_empty()) {
                check_text(p, place, inner, item)?;
            }
            Ok(())
        }
        ty => check_text(p, place, ty, values[0]),
    }
}

/// Checks one textual value (a parameter or an array item) against its type and enum.
fn check_text(p: &Param, place: &str, ty: &TypeRef, text: &str) -> Result<(), String> {
    if !p.enum_values.is_empty() && !p.enum_values.iter().any(|e| e == text) {
        return Err(format!(
            "{place} parameter '{}': \"{text}\" is not one of {}",
            p.name,
            list_values(&p.enum_values)
        ));
    }
    let ok = match ty {
        TypeRef::Integer { .. } => text.trim().parse::<i64>().is_ok(),
        TypeRef::Number { .. } => text.trim().parse::<f64>().is_ok_and(f64::is_finite),
        TypeRef::Boolean => text == "true" || text == "false",
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        let want = if matches!(ty, TypeRef::Boolean) { "true or false".to_string() } else { describe(ty) };
        Err(format!("{place} parameter '{}' must be {want}, got \"{text}\"", p.name))
    }
}

fn is_json_media(media: &str) -> bool {
    media == "application/json" || media == "text/json" || media.ends_with("+json")
}

/// The body: form fields for formData operations, otherwise the JSON body parameter.
fn body(op: &Operation, models: &Models, req: &Incoming) -> Result<(), String> {
    let form_params: Vec<&Param> = op.params_in(Location::FormData).collect();
    if !form_params.is_empty() {
        return form(&form_params, req);
    }
    let Some(bp) = op.body() else {
        return Ok(());
    };
    let label = match &bp.ty {
        TypeRef::Ref(name) => name.clone(),
        other => other.to_string(),
    };
    if req.body.iter().all(u8::is_ascii_whitespace) {
        if bp.required {
            return Err(format!("The request body is required ({label})"));
        }
        return Ok(());
    }
    if op.consumes.as_deref().is_some_and(|c| !is_json_media(c)) {
        // A declared non-JSON body (none in the current definition) is taken as is.
        return Ok(());
    }
    match req.media_type() {
        Some(m) if is_json_media(&m) => {}
        Some(m) => return Err(format!("The request body must be JSON (Content-Type: application/json), not {m}")),
        None => return Err("The request body must be JSON: Content-Type application/json is missing".to_string()),
    }
    let value: Value =
        serde_json::from_slice(&req.body).map_err(|e| format!("The request body is not valid JSON: {e}"))?;
    if value.is_null() {
        if bp.required {
            return Err(format!("The request body is required ({label}), got null"));
        }
        return Ok(());
    }
    check_value(models, &bp.ty, &[], &value, &bp.name)
}

/// Form fields: `application/x-www-form-urlencoded` fields are checked like query
/// parameters; for `multipart/form-data` only the presence of required fields is checked.
fn form(params: &[&Param], req: &Incoming) -> Result<(), String> {
    let media = req.media_type().unwrap_or_default();
    if media == "multipart/form-data" {
        let text = String::from_utf8_lossy(&req.body);
        for p in params.iter().filter(|p| p.required) {
            if !text.contains(&format!("name=\"{}\"", p.name)) {
                return Err(format!("Missing required form field '{}'", p.name));
            }
        }
        return Ok(());
    }
    if media != "application/x-www-form-urlencoded" && !req.body.is_empty() {
        return Err(format!(
            "The request body must be a form (application/x-www-form-urlencoded or multipart/form-data), not {}",
            if media.is_empty() { "a body without Content-Type" } else { &media }
        ));
    }
    let fields = req.form();
    for p in params {
        let values: Vec<&str> = fields.iter().filter(|(k, _)| *k == p.name).map(|(_, v)| v.as_str()).collect();
        if values.is_empty() {
            if p.required {
                return Err(format!("Missing required form field '{}'", p.name));
            }
            continue;
        }
        if p.ty != TypeRef::File {
            check_param(p, "form", &values)?;
        }
    }
    Ok(())
}

/// Checks a JSON value against a type; `path` names it in messages (`body.addresses[0].type`).
pub(crate) fn check_value(
    models: &Models,
    ty: &TypeRef,
    enums: &[String],
    v: &Value,
    path: &str,
) -> Result<(), String> {
    if v.is_null() {
        return Ok(());
    }
    let mismatch = || Err(format!("{path}: expected {}, got {} {}", describe(ty), json_kind(v), snippet(v)));
    match ty {
        TypeRef::String { .. } => {
            let Some(s) = v.as_str() else { return mismatch() };
            if !enums.is_empty() && !enums.iter().any(|e| e == s) {
                return Err(format!("{path}: \"{s}\" is not one of {}", list_values(enums)));
            }
            Ok(())
        }
        TypeRef::Integer { .. } => match v.as_f64() {
            Some(f) if v.is_i64() || v.is_u64() || f.fract() == 0.0 => Ok(()),
            _ => mismatch(),
        },
        TypeRef::Number { .. } if v.is_number() => Ok(()),
        TypeRef::Boolean if v.is_boolean() => Ok(()),
        TypeRef::Number { .. } | TypeRef::Boolean => mismatch(),
        TypeRef::Array(inner) => {
            let Some(items) = v.as_array() else { return mismatch() };
            for (i, item) in items.iter().enumerate() {
                check_value(models, inner, enums, item, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        TypeRef::Map(inner) => {
            let Some(obj) = v.as_object() else { return mismatch() };
            for (k, item) in obj {
                check_value(models, inner, enums, item, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        TypeRef::Object | TypeRef::File => Ok(()),
        TypeRef::Ref(name) => {
            let Some(obj) = v.as_object() else { return mismatch() };
            let Some(model) = models.get(name) else { return Ok(()) };
            check_object(models, model, obj, path)
        }
    }
}

/// Properties the definition lists as required that the platform does not require: it
/// fills them in itself. `(model, property, what the platform does)`; see README.md.
pub(crate) const NOT_REQUIRED_BY_THE_PLATFORM: &[(&str, &str, &str)] =
    &[("CreateUser", "divisionId", "a new user without a divisionId goes to the home division")];

fn relaxed(model: &str, property: &str) -> bool {
    NOT_REQUIRED_BY_THE_PLATFORM.iter().any(|(m, p, _)| *m == model && *p == property)
}

fn check_object(
    models: &Models,
    model: &purecore_catalog::Model,
    obj: &Map<String, Value>,
    path: &str,
) -> Result<(), String> {
    for r in &model.required {
        if model.property(r).is_some_and(|p| p.read_only) || relaxed(&model.name, r) {
            continue;
        }
        if obj.get(r).is_none_or(Value::is_null) {
            return Err(format!("{path}.{r}: missing required property of {}", model.name));
        }
    }
    for p in &model.properties {
        if let Some(x) = obj.get(&p.name) {
            check_value(models, &p.ty, &p.enum_values, x, &format!("{path}.{}", p.name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use purecore_catalog::models;
    use serde_json::json;

    fn check(ty: &str, v: Value) -> Result<(), String> {
        let ty = TypeRef::parse(ty).map_err(|e| e.to_string())?;
        check_value(models(), &ty, &[], &v, "body")
    }

    #[test]
    fn shapes() {
        assert!(check("#CreateUser", json!({"name": "n", "email": "e", "divisionId": "d"})).is_ok());
        // The platform puts a user without a division in the home division.
        assert!(check("#CreateUser", json!({"name": "n", "email": "e", "password": "p"})).is_ok());
        let e = check("#CreateUser", json!({"name": "n", "divisionId": "d"})).unwrap_err();
        assert_eq!(e, "body.email: missing required property of CreateUser");
        let e = check(
            "#CreateUser",
            json!({"name": "n", "email": "e", "divisionId": "d", "addresses": [{"type": "FAX2"}]}),
        )
        .unwrap_err();
        assert!(e.starts_with("body.addresses[0].type: \"FAX2\" is not one of PRIMARY, WORK"), "{e}");
        let e = check("#UpdateUser", json!({"version": "3"})).unwrap_err();
        assert_eq!(e, "body.version: expected an integer, got a string \"3\"");
        assert!(check("#UpdateUser", json!({"version": 3.0, "name": null, "whatever": [1]})).is_ok());
        assert!(check("#UpdateUser", json!({"version": 3.5})).is_err());
        assert!(check("[string]", json!(["a", "b"])).is_ok());
        assert_eq!(check("[string]", json!(["a", 1])).unwrap_err(), "body[1]: expected a string, got an integer 1");
        assert!(check("{integer}", json!({"a": 1})).is_ok());
        assert!(check("{integer}", json!({"a": true})).unwrap_err().starts_with("body.a:"));
        assert!(check("object", json!([1])).is_ok());
        assert!(check("#CreateUser", json!([])).unwrap_err().contains("expected an object (CreateUser)"));
    }

    #[test]
    fn read_only_required_is_ignored() {
        let models = Models::from_json(
            r#"{"_generated":"x","title":"t","version":"v",
                "models":[{"n":"M","p":[{"n":"id","ro":true},{"n":"name"}],"req":["id","name"]}]}"#,
        )
        .unwrap();
        let ty = TypeRef::Ref("M".into());
        assert!(check_value(&models, &ty, &[], &json!({"name": "x"}), "body").is_ok());
        let e = check_value(&models, &ty, &[], &json!({"name": null}), "body").unwrap_err();
        assert_eq!(e, "body.name: missing required property of M");
    }

    fn op(params: Vec<Param>) -> Operation {
        serde_json::from_value(json!({
            "id": "getThing", "c": "ThingsApi", "m": "POST", "p": "/api/v2/things/{thingId}",
            "a": params,
        }))
        .unwrap()
    }

    fn param(v: Value) -> Param {
        serde_json::from_value(v).unwrap()
    }

    fn incoming(query: &str, content_type: Option<&str>, body: &str) -> Incoming {
        let mut headers = hyper::HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert("content-type", ct.parse().unwrap());
        }
        headers.insert("if-match", "\"3\"".parse().unwrap());
        Incoming {
            method: hyper::Method::POST,
            path: "/api/v2/things/t".into(),
            route_path: "/api/v2/things/t".into(),
            prefix: String::new(),
            query: query.into(),
            headers,
            body: bytes::Bytes::from(body.to_string()),
            cid: "cid".into(),
        }
    }

    fn run(o: &Operation, query: &str, ct: Option<&str>, body: &str) -> Result<(), String> {
        let path = vec![("thingId".to_string(), "t".to_string())];
        request(o, models(), &incoming(query, ct, body), &path, true)
    }

    #[test]
    fn parameters() {
        let o = op(vec![
            param(json!({"n": "thingId", "in": "path", "r": true})),
            param(json!({"n": "sort", "in": "query", "r": true, "e": ["asc", "desc"]})),
            param(json!({"n": "expand", "in": "query", "ty": "[string]", "cf": "multi", "e": ["a", "b"]})),
            param(json!({"n": "ids", "in": "query", "ty": "[integer]", "cf": "pipes"})),
            param(json!({"n": "active", "in": "query", "ty": "boolean"})),
            param(json!({"n": "ratio", "in": "query", "ty": "number"})),
            param(json!({"n": "If-Match", "in": "header", "r": true})),
            param(json!({"n": "X-Other", "in": "header"})),
        ]);
        assert_eq!(run(&o, "sort=asc&expand=a&expand=b,a&ids=1|2&active=false&ratio=0.5", None, ""), Ok(()));
        assert_eq!(run(&o, "", None, "").unwrap_err(), "Missing required query parameter 'sort'");
        assert_eq!(run(&o, "sort=up", None, "").unwrap_err(), "query parameter 'sort': \"up\" is not one of asc, desc");
        let e = run(&o, "sort=asc&expand=a&expand=c", None, "").unwrap_err();
        assert_eq!(e, "query parameter 'expand': \"c\" is not one of a, b");
        let e = run(&o, "sort=asc&ids=1|x", None, "").unwrap_err();
        assert_eq!(e, "query parameter 'ids' must be an integer, got \"x\"");
        let e = run(&o, "sort=asc&active=True", None, "").unwrap_err();
        assert_eq!(e, "query parameter 'active' must be true or false, got \"True\"");
        assert!(run(&o, "sort=asc&ratio=lots", None, "").unwrap_err().contains("'ratio' must be a number"));
        let needs_header = op(vec![param(json!({"n": "Idempotency-Key", "in": "header", "r": true}))]);
        assert_eq!(
            run(&needs_header, "", None, "").unwrap_err(),
            "Missing required header parameter 'Idempotency-Key'"
        );
    }

    #[test]
    fn bodies() {
        let o = op(vec![param(json!({"n": "body", "in": "body", "r": true, "ty": "#CreateUser"}))]);
        let good = r#"{"name":"n","email":"e","divisionId":"d"}"#;
        assert_eq!(run(&o, "", Some("application/json; charset=utf-8"), good), Ok(()));
        assert_eq!(run(&o, "", Some("application/vnd.x+json"), good), Ok(()));
        assert_eq!(run(&o, "", None, "  ").unwrap_err(), "The request body is required (CreateUser)");
        assert!(run(&o, "", Some("text/plain"), good).unwrap_err().contains("must be JSON"));
        assert!(run(&o, "", None, good).unwrap_err().contains("Content-Type application/json is missing"));
        assert!(run(&o, "", Some("application/json"), "{nope")
            .unwrap_err()
            .starts_with("The request body is not valid JSON"));
        assert!(run(&o, "", Some("application/json"), "null").unwrap_err().contains("got null"));
        let optional = op(vec![param(json!({"n": "body", "in": "body", "ty": "[string]"}))]);
        assert_eq!(run(&optional, "", None, ""), Ok(()));
        assert_eq!(run(&optional, "", Some("application/json"), "null"), Ok(()));
    }

    #[test]
    fn forms() {
        let o = op(vec![
            param(json!({"n": "name", "in": "formData", "r": true})),
            param(json!({"n": "count", "in": "formData", "ty": "integer"})),
            param(json!({"n": "file", "in": "formData", "ty": "file"})),
        ]);
        let form = Some("application/x-www-form-urlencoded");
        assert_eq!(run(&o, "", form, "name=a&count=2&file=xyz"), Ok(()));
        assert_eq!(run(&o, "", form, "count=2").unwrap_err(), "Missing required form field 'name'");
        assert_eq!(
            run(&o, "", form, "name=a&count=x").unwrap_err(),
            "form parameter 'count' must be an integer, got \"x\""
        );
        assert!(run(&o, "", Some("application/json"), "{}").unwrap_err().contains("must be a form"));
        let multipart = "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--b--\r\n";
        assert_eq!(run(&o, "", Some("multipart/form-data; boundary=b"), multipart), Ok(()));
        assert!(run(&o, "", Some("multipart/form-data; boundary=b"), "--b--").is_err());
    }
}
