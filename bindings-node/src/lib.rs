//! purecore-node: the native addon behind the npm package `purecore`.
//!
//! A thin layer over the `purecore` core: [`client::NativeClient`] wraps one
//! `purecore::Client`; the functions below expose the core's stateless
//! helpers. Behaviour (auth, refresh, retries, logging, config) stays in the
//! core; this crate converts values, errors and promises, and the JavaScript
//! facade (`index.js`) gives them the official SDK's names.
//!
//! The addon is loaded lazily by the facade on first use, because loading it
//! starts the tokio runtime that every `async` method runs on.

mod callbacks;
mod client;
mod config;
mod convert;

use napi_derive::napi;

use crate::convert::{invalid, sync, thrown, Thrown};

/// A region: its key in `PureCloudRegionHosts` and its domain.
#[napi(object)]
pub struct JsRegion {
    pub name: String,
    pub domain: String,
}

/// Every Genesys Cloud region the core knows.
#[napi]
pub fn regions() -> Result<Vec<JsRegion>, Thrown> {
    sync(|| Ok(purecore::REGIONS.iter().map(|(n, d)| JsRegion { name: (*n).into(), domain: (*d).into() }).collect()))
}

/// Adds roots every client trusts (with the system's): the facade hands over Node's own copy
/// of the Mozilla roots (`tls.rootCertificates`) before the first client, instead of the
/// addon carrying one. Returns how many certificates were added; throws after the first
/// connection.
#[napi]
pub fn add_base_roots(pems: Vec<String>) -> Result<u32, Thrown> {
    sync(|| purecore::transport::add_base_roots(&pems).map(|n| n as u32).map_err(thrown))
}

/// The core's version.
#[napi]
pub fn core_version() -> String {
    purecore::VERSION.into()
}

/// A PKCE code verifier of `length` characters (43 to 128) from a CSPRNG.
#[napi]
pub fn generate_code_verifier(length: f64) -> Result<String, Thrown> {
    sync(|| {
        // A whole number first (no wrap of -1, no NaN); the core checks 43 to 128.
        if !length.is_finite() || length.fract() != 0.0 || !(0.0..=1e6).contains(&length) {
            return Err(invalid(format!(
                "the code verifier length must be a whole number from 43 to 128, not {length}"
            )));
        }
        purecore::generate_code_verifier(length as usize).map_err(thrown)
    })
}

/// The S256 challenge of a verifier: base64url(SHA-256), unpadded.
#[napi]
pub fn compute_code_challenge(verifier: String) -> Result<String, Thrown> {
    sync(|| purecore::compute_code_challenge(&verifier).map_err(thrown))
}

/// The `code` of an authorization-code redirect, or the error it carries.
#[napi(object)]
pub struct CodeOutcome {
    pub code: Option<String>,
    pub error: Option<convert::ErrorFields>,
}

/// The `code` of an authorization-code redirect, checking `state` when given.
#[napi]
pub fn parse_code_redirect(redirect: String, expected_state: Option<String>) -> Result<CodeOutcome, Thrown> {
    sync(|| {
        Ok(match purecore::parse_code_redirect(&redirect, expected_state.as_deref()) {
            Ok(code) => CodeOutcome { code: Some(code.expose().to_owned()), error: None },
            Err(e) => CodeOutcome { code: None, error: Some(convert::error(&e)) },
        })
    })
}

/// One parameter of a catalog operation.
#[napi(object)]
pub struct JsParam {
    pub name: String,
    /// `path`, `query`, `header`, `body` or `formData`.
    pub location: String,
    pub required: bool,
}

/// Catalog metadata of an operation.
#[napi(object)]
pub struct JsOperation {
    pub id: String,
    pub class_name: String,
    pub method: String,
    pub path: String,
    pub deprecated: bool,
    pub params: Vec<JsParam>,
}

/// The catalog entry of an operation id (throws `invalid_argument` for an unknown id).
#[napi]
pub fn operation(operation_id: String) -> Result<JsOperation, Thrown> {
    sync(|| operation_inner(&operation_id))
}

fn operation_inner(operation_id: &str) -> Result<JsOperation, Thrown> {
    let op = purecore::operation::operation(operation_id).map_err(thrown)?;
    Ok(JsOperation {
        id: op.id.clone(),
        class_name: op.class.clone(),
        method: op.method.clone(),
        path: op.path.clone(),
        deprecated: op.deprecated,
        params: op
            .params
            .iter()
            .map(|p| JsParam {
                name: p.name.clone(),
                location: serde_json::to_value(p.location)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                required: p.required,
            })
            .collect(),
    })
}

/// Every API class with its methods, for `generated/apis.js`: one line per class, the class
/// name then a tab-separated `operationId positional|optional` entry per method (see
/// `purecore::catalog::Catalog::js_api_table`). Read once, when the first class is built.
#[napi]
pub fn api_table() -> Result<String, Thrown> {
    sync(|| Ok(purecore::catalog::catalog().js_api_table()))
}

/// How many operations the embedded catalog holds.
#[napi]
pub fn operation_count() -> Result<u32, Thrown> {
    sync(|| Ok(purecore::catalog::catalog().len() as u32))
}

/// Debug builds only, for the tests: a panic inside the future of an asynchronous entry point,
/// to show it becomes an `internal` error.
#[cfg(debug_assertions)]
#[allow(clippy::panic)] // panicking is this probe's whole purpose (debug builds only)
#[napi(skip_typescript)]
pub async fn test_panic(message: String) -> convert::CallOutcome {
    let r = convert::caught(async {
        tokio_yield().await;
        panic!("{message}");
    })
    .await;
    convert::call_fields(r.map(|()| unreachable!()))
}

/// Debug builds only, for the tests: a panic in a synchronous entry point.
#[cfg(debug_assertions)]
#[allow(clippy::panic)] // panicking is this probe's whole purpose (debug builds only)
#[napi(skip_typescript)]
pub fn test_panic_sync(message: String) -> Result<(), Thrown> {
    sync(|| panic!("{message}"))
}

#[cfg(debug_assertions)]
async fn tokio_yield() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await
}
