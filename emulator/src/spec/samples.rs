//! Valid sample parameters for every catalog operation (`GET /admin/samples`,
//! [`samples`](crate::samples)). Sent through a client, each one passes validation and gets
//! a 2xx answer: the conformance sweep of every SDK is built on them.
//!
//! Rules (see README.md): every required parameter; the body whenever the operation has one
//! (every required non-read-only property, plus up to two optional scalar ones); for the
//! first optional `multi` query array, two items. Strings are `sample-{name}` (path ids like
//! `sample-userId` are sample ids, answered generically even on stateful routes), the first
//! enum value, fixed dates; integers 1, numbers 1.5, booleans true.

use std::sync::OnceLock;

use purecore_catalog::{CollectionFormat, Location, Model, Models, Operation, Param, TypeRef};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{DATE, DATE_TIME, LOCAL_DATE_TIME, SAMPLE_PREFIX};

/// Valid sample parameters of one operation, keyed by the spec's parameter names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// The operation id (method name), e.g. `getUser`.
    pub id: String,
    /// The HTTP method in upper case.
    pub method: String,
    /// The path template, e.g. `/api/v2/users/{userId}`.
    pub path: String,
    /// Parameters by spec name (`userId`, `expand`, `body`), ready for `Client::call`.
    pub params: Map<String, Value>,
}

/// Samples of every catalog operation, sorted by id.
pub fn samples() -> Vec<Sample> {
    all().to_vec()
}

pub(crate) fn all() -> &'static [Sample] {
    static SAMPLES: OnceLock<Vec<Sample>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let models = purecore_catalog::models();
        purecore_catalog::catalog()
            .operations()
            .iter()
            .map(|op| Sample {
                id: op.id.clone(),
                method: op.method.clone(),
                path: op.path.clone(),
                params: for_operation(op, models),
            })
            .collect()
    })
}

/// The body of `GET /admin/samples`: `{"operations":[Sample,...]}`.
pub(crate) fn json() -> Value {
    json!({ "operations": all() })
}

/// Sample parameters of one operation.
pub(crate) fn for_operation(op: &Operation, models: &Models) -> Map<String, Value> {
    let mut params = Map::new();
    for p in &op.params {
        if p.location == Location::Body {
            params.insert(p.name.clone(), body_value(models, &p.ty, &p.name, &p.enum_values, 0));
        } else if p.required {
            params.insert(p.name.clone(), param_value(p));
        }
    }
    let multi = op.params.iter().find(|p| {
        !p.required
            && p.location == Location::Query
            && p.collection == Some(CollectionFormat::Multi)
            && matches!(p.ty, TypeRef::Array(_))
    });
    if let Some(p) = multi {
        params.insert(p.name.clone(), param_value(p));
    }
    params
}

/// A path, query, header or form parameter; arrays get two items.
fn param_value(p: &Param) -> Value {
    match &p.ty {
        TypeRef::Array(inner) => {
            let items = (1..=2)
                .map(|i| match p.enum_values.get(i - 1).or(p.enum_values.first()) {
                    Some(e) => Value::String(e.clone()),
                    None => scalar(inner, &format!("{SAMPLE_PREFIX}{}-{i}", p.name)),
                })
                .collect();
            Value::Array(items)
        }
        ty => match p.enum_values.first() {
            Some(e) => Value::String(e.clone()),
            None => scalar(ty, &format!("{SAMPLE_PREFIX}{}", p.name)),
        },
    }
}

/// A scalar of type `ty`; `text` is used for plain strings.
fn scalar(ty: &TypeRef, text: &str) -> Value {
    match ty {
        TypeRef::String { format } => Value::String(
            match format.as_deref() {
                Some("date-time") => DATE_TIME,
                Some("date") => DATE,
                Some("local-date-time") => LOCAL_DATE_TIME,
                Some("uri") | Some("url") => "https://example.test/sample",
                _ => text,
            }
            .to_string(),
        ),
        TypeRef::Integer { .. } => json!(1),
        TypeRef::Number { .. } => json!(1.5),
        TypeRef::Boolean => json!(true),
        _ => Value::String(text.to_string()),
    }
}

/// Is this an optional property the sample may add (a writable scalar)?
fn simple(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String { .. } | TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean)
}

/// A JSON value of type `ty` for the body (or property) `name`.
fn body_value(models: &Models, ty: &TypeRef, name: &str, enums: &[String], depth: usize) -> Value {
    match ty {
        TypeRef::String { .. } if !enums.is_empty() => Value::String(enums[0].clone()),
        TypeRef::String { format: None } if name.to_ascii_lowercase().ends_with("email") => {
            Value::String(format!("sample.{}@example.test", name.to_ascii_lowercase()))
        }
        TypeRef::Array(inner) => Value::Array(vec![body_value(models, inner, name, enums, depth)]),
        TypeRef::Map(inner) => json!({ "key1": body_value(models, inner, name, enums, depth) }),
        TypeRef::Object => json!({}),
        TypeRef::File => Value::String(format!("{SAMPLE_PREFIX}file")),
        TypeRef::Ref(model) => match models.get(model) {
            Some(m) if depth < 16 => Value::Object(object(models, m, depth)),
            _ => json!({}),
        },
        scalar_ty => scalar(scalar_ty, &format!("{SAMPLE_PREFIX}{name}")),
    }
}

/// Every required writable property, plus the first two optional writable scalars.
fn object(models: &Models, m: &Model, depth: usize) -> Map<String, Value> {
    let mut obj = Map::new();
    for r in &m.required {
        if let Some(p) = m.property(r).filter(|p| !p.read_only) {
            obj.insert(p.name.clone(), body_value(models, &p.ty, &p.name, &p.enum_values, depth + 1));
        }
    }
    let optional = m.properties.iter().filter(|p| !p.read_only && simple(&p.ty) && !obj.contains_key(&p.name));
    for p in optional.take(2).collect::<Vec<_>>() {
        obj.insert(p.name.clone(), body_value(models, &p.ty, &p.name, &p.enum_values, depth + 1));
    }
    obj
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_samples() {
        let c = purecore_catalog::catalog();
        let m = purecore_catalog::models();
        let get = for_operation(c.get("getUser").unwrap(), m);
        assert_eq!(get["userId"], "sample-userId");
        assert_eq!(get["expand"], json!(["sample-expand-1", "sample-expand-2"]));
        let post = for_operation(c.get("postUsers").unwrap(), m);
        let body = post["body"].as_object().unwrap();
        for k in ["name", "email", "divisionId"] {
            assert!(body[k].is_string(), "{k}");
        }
        assert_eq!(body["email"], "sample.email@example.test");
        let patch = for_operation(c.get("patchUser").unwrap(), m);
        assert_eq!(patch["body"]["version"], 1);
        assert_eq!(for_operation(c.get("putUserProfileskills").unwrap(), m)["body"], json!(["sample-body"]));
        assert_eq!(all().len(), c.len());
    }
}
