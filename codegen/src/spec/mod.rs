//! Reads a Swagger 2.0 document into the catalog's types.
//!
//! Fatal (an error naming the JSON path): text that is not JSON; not Swagger 2.0; a part we
//! use with the wrong JSON type; an unknown parameter location, type or collection format;
//! a `$ref` that does not resolve; a `{placeholder}` in a path with no path parameter; an
//! operation without a name; two operations with the same name.
//!
//! Tolerated with a warning (fatal with `strict`): a declared path parameter that is not in
//! the path template (dropped); a default outside its enum; query arrays of objects;
//! arrays without `items`; missing `description`s; unknown security schemes; a definition's
//! `required` naming a missing property. Unknown vendor extensions are ignored silently.

mod operation;
mod paging;
mod schema;

use purecore_catalog::{Model, Operation};
use serde_json::{Map, Value};

use crate::diag::{kind, JPath, SpecError, Warning, Warnings};
pub use schema::Defs;

/// The spec, read and checked.
#[derive(Debug)]
pub struct Api {
    /// `info.title`
    pub title: String,
    /// `info.version`
    pub version: String,
    /// The spec's file name, for the "generated from" headers.
    pub source: String,
    /// Sorted by id.
    pub operations: Vec<Operation>,
    /// Sorted by name.
    pub models: Vec<Model>,
    pub warnings: Vec<Warning>,
}

/// Parses and checks the spec text. `source` names it in headers (use the file name only,
/// so output does not depend on where the spec lives).
pub fn read_spec(text: &str, source: &str, strict: bool) -> Result<Api, SpecError> {
    let root: Value = serde_json::from_str(text).map_err(|e| SpecError {
        path: format!("line {} column {}", e.line(), e.column()),
        message: format!("not valid JSON: {e}"),
    })?;
    let root_at = JPath::root();
    let Some(obj) = root.as_object() else {
        return Err(SpecError::at(&root_at, format!("expected an object, found {}", kind(&root))));
    };
    check_version(obj)?;
    let mut warn = Warnings::default();

    let (title, version) = info(obj, &mut warn)?;
    let empty = Map::new();
    let defs_map = match obj.get("definitions") {
        None => &empty,
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(SpecError::at(
                &root_at.key("definitions"),
                format!("expected an object, found {}", kind(other)),
            ));
        }
    };
    let defs = Defs::new(defs_map)?;
    let models = defs.models(&mut warn)?;
    let mut operations = operation::read_paths(obj, &defs, &mut warn)?;
    for op in &mut operations {
        op.paging = paging::detect(op, &models);
    }
    if strict {
        if let Some(w) = warn.0.first() {
            return Err(SpecError { path: w.path.clone(), message: format!("{} (strict mode)", w.message) });
        }
    }
    Ok(Api { title, version, source: source.to_string(), operations, models, warnings: warn.0 })
}

fn check_version(obj: &Map<String, Value>) -> Result<(), SpecError> {
    match obj.get("swagger") {
        Some(Value::String(v)) if v == "2.0" => Ok(()),
        Some(other) => Err(SpecError::at(&JPath::root().key("swagger"), format!("expected \"2.0\", found {other}"))),
        None if obj.contains_key("openapi") => Err(SpecError::at(
            &JPath::root().key("openapi"),
            "OpenAPI 3 is not supported: expected a Swagger 2.0 document (swagger: \"2.0\")",
        )),
        None => Err(SpecError::at(&JPath::root().key("swagger"), "missing: expected \"2.0\"")),
    }
}

fn info(obj: &Map<String, Value>, warn: &mut Warnings) -> Result<(String, String), SpecError> {
    let at = JPath::root().key("info");
    let Some(info) = obj.get("info") else {
        warn.add(&at, "missing info; title and version are empty");
        return Ok((String::new(), String::new()));
    };
    let Some(info) = info.as_object() else {
        return Err(SpecError::at(&at, format!("expected an object, found {}", kind(info))));
    };
    let mut field = |name: &str| -> Result<String, SpecError> {
        match info.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            None => {
                warn.add(&at.key(name), "missing");
                Ok(String::new())
            }
            Some(other) => Err(SpecError::at(&at.key(name), format!("expected a string, found {}", kind(other)))),
        }
    };
    Ok((field("title")?, field("version")?))
}
