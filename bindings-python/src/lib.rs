//! `purecore._purecore`: the native half of the Python package. It converts
//! values, errors and awaitables; every behaviour lives in the `purecore`
//! crate. The Python facade (`python/purecore/`) is the public surface.
//!
//! Loading this module starts nothing: the tokio runtime is created by the
//! first call that needs it (see [`runtime`]).

mod client;
mod config;
mod decode;
mod errors;
mod mailbox;
mod runtime;

use pyo3::prelude::*;
use serde_json::Value;

use crate::errors::to_py_err;
use crate::runtime::guard;

/// `(method, path, query, headers, body, auth)` of an operation call, built
/// and checked by the core without sending it (used when request hooks are set).
#[pyfunction]
fn build_request(py: Python<'_>, operation_id: &str, params_json: &str) -> PyResult<Py<PyAny>> {
    guard(|| {
        let op = purecore::operation::operation(operation_id).map_err(to_py_err)?;
        let params = match serde_json::from_str::<Value>(params_json) {
            Ok(Value::Object(m)) => m,
            _ => {
                let e = purecore::Error::invalid_argument("operation parameters must be a JSON object");
                return Err(to_py_err(e));
            }
        };
        let r = purecore::operation::build_request(op, &params).map_err(to_py_err)?;
        let body = client::body_to_py(py, &r.body)?;
        Ok((r.method, r.path, r.query, r.headers, body, r.auth).into_pyobject(py)?.into_any().unbind())
    })
}

/// `(method, path, response_type, auth)`; the response type in the catalog's
/// text form (`#User`, `[#User]`, `string`) or None when there is no body.
#[pyfunction]
fn operation_info(operation_id: &str) -> PyResult<(String, String, Option<String>, bool)> {
    guard(|| {
        let op = purecore::operation::operation(operation_id).map_err(to_py_err)?;
        Ok((op.method.clone(), op.path.clone(), op.response.as_ref().map(ToString::to_string), op.auth))
    })
}

/// `length` is a whole number (the core checks its range).
#[pyfunction]
#[pyo3(signature = (length=None))]
fn generate_code_verifier(length: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    guard(|| {
        let n = match length {
            Some(v) => config::argument_count("length", v, u32::MAX)?,
            None => 128,
        };
        let n = usize::try_from(n).map_err(|_| to_py_err(purecore::Error::invalid_argument("length is too large")))?;
        purecore::generate_code_verifier(n).map_err(to_py_err)
    })
}

#[pyfunction]
fn compute_code_challenge(verifier: &str) -> PyResult<String> {
    guard(|| purecore::compute_code_challenge(verifier).map_err(to_py_err))
}

/// The authorization code of a code/PKCE redirect, after checking its state.
#[pyfunction]
#[pyo3(signature = (redirect_url, expected_state=None))]
fn parse_code_redirect(redirect_url: &str, expected_state: Option<&str>) -> PyResult<String> {
    guard(|| {
        purecore::parse_code_redirect(redirect_url, expected_state).map(|s| s.expose().to_owned()).map_err(to_py_err)
    })
}

/// Every region as `(name, domain)`.
#[pyfunction]
fn regions() -> PyResult<Vec<(&'static str, &'static str)>> {
    guard(|| Ok(purecore::REGIONS.to_vec()))
}

/// The settings a client made from `settings` would start with (before any
/// config file), checked as a whole: bad values raise `ConfigurationException`.
/// With `transport`, TLS material is checked too (the proxy URL always is).
#[pyfunction]
#[pyo3(signature = (settings, transport=false))]
fn preview_settings<'py>(
    settings: &Bound<'py, pyo3::types::PyDict>,
    transport: bool,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    guard(|| {
        let c = config::from_settings(settings)?;
        c.validate().map_err(to_py_err)?;
        if transport {
            purecore::transport::check_tls(&c).map_err(to_py_err)?;
        }
        let env = c.effective_environment().map_err(to_py_err)?;
        config::to_dict(settings.py(), &c, &env)
    })
}

/// `url` with a password in its user-info and credential query fields replaced.
#[pyfunction]
fn redact_url(url: &str) -> PyResult<String> {
    guard(|| Ok(purecore::logging::redact::url(url)))
}

/// Whether a header's value is a credential (`Authorization`, `Cookie`,
/// `Set-Cookie`...): the facade hides those values from repr, str and pickles.
#[pyfunction]
fn is_secret_header(name: &str) -> PyResult<bool> {
    guard(|| Ok(purecore::logging::redact::is_secret_header(name)))
}

/// For the binding's tests only: panics at `place` (`"call"`: in the entry
/// point, `"blocking"`: in a blocking call's future, `"future"`: in an
/// asyncio call's future, `"convert"`: while converting its result), to show
/// that a panic becomes `InternalException` and every awaitable settles.
#[pyfunction]
fn _panic_for_tests<'py>(py: Python<'py>, place: &str) -> PyResult<Bound<'py, PyAny>> {
    // The one deliberate panic: this hook exists to prove that panics are caught.
    #[allow(clippy::panic)]
    fn boom(what: &str) -> purecore::Result<()> {
        panic!("a test panic in {what}")
    }
    guard(|| match place {
        "call" => boom("the call").map_err(to_py_err).map(|()| py.None().into_bound(py)),
        "blocking" => runtime::block(py, async { boom("a blocking call") }).map(|()| py.None().into_bound(py)),
        "future" => runtime::awaitable(py, async { boom("a future") }, |py, ()| Ok(py.None())),
        "convert" => runtime::awaitable(py, async { Ok(()) }, |py, ()| {
            boom("a conversion").map_err(to_py_err)?;
            Ok(py.None())
        }),
        other => Err(to_py_err(purecore::Error::invalid_argument(format!("unknown place '{other}'")))),
    })
}

/// Whether the runtime (and so its worker threads) exists yet.
#[pyfunction]
fn runtime_started() -> PyResult<bool> {
    guard(|| Ok(runtime::started()))
}

#[pymodule]
fn _purecore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    guard(|| {
        m.add_class::<client::Client>()?;
        m.add_class::<errors::Headers>()?;
        m.add_function(wrap_pyfunction!(build_request, m)?)?;
        m.add_function(wrap_pyfunction!(operation_info, m)?)?;
        m.add_function(wrap_pyfunction!(generate_code_verifier, m)?)?;
        m.add_function(wrap_pyfunction!(compute_code_challenge, m)?)?;
        m.add_function(wrap_pyfunction!(parse_code_redirect, m)?)?;
        m.add_function(wrap_pyfunction!(regions, m)?)?;
        m.add_function(wrap_pyfunction!(runtime_started, m)?)?;
        m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
        m.add_function(wrap_pyfunction!(preview_settings, m)?)?;
        m.add_function(wrap_pyfunction!(redact_url, m)?)?;
        m.add_function(wrap_pyfunction!(is_secret_header, m)?)?;
        m.add_function(wrap_pyfunction!(runtime::_deliver, m)?)?;
        let shutdown = wrap_pyfunction!(runtime::_shutdown, m)?;
        m.add_function(shutdown.clone())?;
        m.py().import("atexit")?.call_method1("register", (shutdown,))?;
        m.add("__version__", purecore::VERSION)?;
        Ok(())
    })
}
