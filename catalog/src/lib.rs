//! The Platform API operation catalog: generated data plus the types to read it.
//!
//! `data/operations.json` (and, with the `models` feature, `data/models.json`) are written
//! by `purecore-codegen`, deflated by `build.rs`, embedded with `include_bytes!`, and
//! inflated and parsed once, on first use. The catalog is data, not code: adding operations
//! adds no Rust compile time. See README.md for the JSON shape and the paging rules.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

mod typeref;
pub use typeref::TypeRef;

pub mod sdk;

#[cfg(feature = "models")]
mod models;
#[cfg(feature = "models")]
pub use models::{models, Models};

mod model_types;
pub use model_types::{Model, ModelsFile, Property};

/// The embedded operations file, deflated by build.rs.
const OPERATIONS_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/operations.json.deflate"));

/// The text of an embedded data file. build.rs wrote it, so a failure means a corrupted
/// build: it panics naming the file. Unreachable in a built crate: build.rs deflates the
/// committed files, and every catalog test (`lookup_by_id` first) parses the embedded data.
#[allow(clippy::panic, reason = "only a corrupted build can reach it; the tests prove the embedded data")]
fn inflate(name: &str, deflated: &[u8]) -> String {
    match miniz_oxide::inflate::decompress_to_vec(deflated).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => panic!("purecore-catalog: embedded data/{name} is not UTF-8: {e}"),
        Err(e) => panic!("purecore-catalog: embedded data/{name} does not inflate: {e}"),
    }
}

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
    FormData,
}

/// How an array parameter is written (Swagger 2.0 `collectionFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectionFormat {
    /// `a,b,c` (Swagger's default for arrays).
    Csv,
    /// The key repeated: `k=a&k=b`.
    Multi,
    /// `a b c`
    Ssv,
    /// `a\tb\tc`
    Tsv,
    /// `a|b|c`
    Pipes,
}

/// The paging style of a listing operation (see README.md for the detection rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Paging {
    /// Not a paged listing.
    #[default]
    None,
    /// `pageNumber` + `pageSize` query parameters; the response has `pageCount`/`nextUri`.
    PageNumber,
    /// A `cursor` query parameter; the response has `cursor` or `cursors.after`.
    Cursor,
    /// `after` / `before` query parameters.
    AfterBefore,
    /// A `nextPage` query parameter (an opaque token).
    NextPage,
    /// No paging parameter, but the response model has `nextUri`: follow it.
    NextUri,
}

impl Paging {
    pub fn is_none(&self) -> bool {
        matches!(self, Paging::None)
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// The spec name (`userId`, `If-Match`): the key callers use and the wire name.
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "in")]
    pub location: Location,
    #[serde(rename = "r", default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(rename = "ty", default, skip_serializing_if = "TypeRef::is_plain_string")]
    pub ty: TypeRef,
    /// Set for every array parameter (Swagger's default `csv` is written out).
    #[serde(rename = "cf", default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<CollectionFormat>,
    /// Allowed values (for arrays: of the items), when the spec lists them.
    #[serde(rename = "e", default, skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<String>,
    #[serde(rename = "df", default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
}

/// One operation of the Platform API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The method name (`x-purecloud-method-name`, else `operationId`), e.g. `getUser`.
    pub id: String,
    /// The API class of the first tag, e.g. `UsersApi`.
    #[serde(rename = "c")]
    pub class: String,
    /// All tags as spelled in the spec (the generated SDKs add the method to each tag's class).
    #[serde(rename = "t", default)]
    pub tags: Vec<String>,
    /// The HTTP method in upper case.
    #[serde(rename = "m")]
    pub method: String,
    /// The path template, e.g. `/api/v2/users/{userId}`.
    #[serde(rename = "p")]
    pub path: String,
    /// Parameters in spec order.
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    /// The success response type; `None` when the operation returns no body.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub response: Option<TypeRef>,
    /// 200, or the declared 201/202/204.
    #[serde(rename = "s", default = "status_200", skip_serializing_if = "is_200")]
    pub success_status: u16,
    #[serde(rename = "d", default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(rename = "pv", default, skip_serializing_if = "is_false")]
    pub preview: bool,
    /// False when the spec says `security: []` (no token is sent).
    #[serde(rename = "au", default = "yes", skip_serializing_if = "is_true")]
    pub auth: bool,
    /// The request media type, only when the operation does not accept `application/json`.
    #[serde(rename = "ct", default, skip_serializing_if = "Option::is_none")]
    pub consumes: Option<String>,
    /// The response media type, only when the operation does not produce `application/json`.
    #[serde(rename = "ac", default, skip_serializing_if = "Option::is_none")]
    pub produces: Option<String>,
    #[serde(rename = "pg", default, skip_serializing_if = "Paging::is_none")]
    pub paging: Paging,
}

impl Operation {
    /// The parameter with this spec name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The body parameter, if any.
    pub fn body(&self) -> Option<&Param> {
        self.params.iter().find(|p| p.location == Location::Body)
    }

    /// The parameters in one location, in spec order.
    pub fn params_in(&self, location: Location) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(move |p| p.location == location)
    }
}

/// The top-level shape of `data/operations.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationsFile {
    /// "generated by purecore-codegen from ...; do not edit"
    #[serde(rename = "_generated")]
    pub generated: String,
    pub title: String,
    pub version: String,
    /// Sorted by id.
    #[serde(rename = "ops")]
    pub operations: Vec<Operation>,
}

/// The operation table: parsed once, looked up by id in O(1).
#[derive(Debug)]
pub struct Catalog {
    title: String,
    version: String,
    operations: Vec<Operation>,
    index: HashMap<String, usize>,
    classes: Vec<String>,
}

/// The API class of a tag: the tag without spaces and punctuation, plus `Api`
/// (`Telephony Providers Edge` -> `TelephonyProvidersEdgeApi`). `None` when nothing is left.
pub fn tag_class(tag: &str) -> Option<String> {
    let mut out = String::new();
    for c in tag.chars().filter(char::is_ascii_alphanumeric) {
        if out.is_empty() {
            if c.is_ascii_digit() {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        return None;
    }
    out.push_str("Api");
    Some(out)
}

/// The embedded catalog, parsed on first use.
///
/// The data is written and checked by the generator's tests, so a parse failure means a
/// corrupted build; it panics with the serde error.
#[allow(clippy::panic, reason = "only a corrupted build can reach it; the tests prove the embedded data")]
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match Catalog::from_json(&inflate("operations.json", OPERATIONS_DEFLATED)) {
        Ok(c) => c,
        Err(e) => panic!("purecore-catalog: embedded data/operations.json is invalid: {e}"),
    })
}

impl Catalog {
    /// Parses an operations file (the embedded one, or another for tests and tools).
    pub fn from_json(text: &str) -> Result<Catalog, serde_json::Error> {
        let file: OperationsFile = serde_json::from_str(text)?;
        Ok(Catalog::from_file(file))
    }

    /// Builds the index over an already parsed file.
    pub fn from_file(file: OperationsFile) -> Catalog {
        let index = file.operations.iter().enumerate().map(|(i, op)| (op.id.clone(), i)).collect();
        let mut classes: Vec<String> = file
            .operations
            .iter()
            .flat_map(|o| o.tags.iter().filter_map(|t| tag_class(t)).chain([o.class.clone()]))
            .collect();
        classes.sort_unstable();
        classes.dedup();
        Catalog { title: file.title, version: file.version, operations: file.operations, index, classes }
    }

    /// The operation with this id (method name), e.g. `getUser`.
    pub fn get(&self, id: &str) -> Option<&Operation> {
        self.index.get(id).map(|&i| &self.operations[i])
    }

    /// All operations, sorted by id.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    pub fn len(&self) -> usize {
        self.operations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The API class names, sorted: one per tag (an operation with two tags is in two
    /// classes in the generated SDKs; `Operation::class` is the first one).
    pub fn classes(&self) -> Vec<&str> {
        self.classes.iter().map(String::as_str).collect()
    }

    /// `info.title` of the spec the data was generated from.
    pub fn spec_title(&self) -> &str {
        &self.title
    }

    /// `info.version` of the spec the data was generated from.
    pub fn spec_version(&self) -> &str {
        &self.version
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}
fn is_true(b: &bool) -> bool {
    *b
}
fn yes() -> bool {
    true
}
fn status_200() -> u16 {
    200
}
fn is_200(s: &u16) -> bool {
    *s == 200
}

#[cfg(test)]
mod tests;
