//! Core errors become the exception classes defined in Python
//! (`purecore/rest.py`): the native side hands over every field and
//! `rest._from_native` picks the class by kind.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBytes;

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `(status, reason, headers, body, correlation_id, attempts)`: the shape
/// every reply has on the Python side.
pub fn response_tuple(py: Python<'_>, r: &purecore::Response) -> PyResult<Py<PyAny>> {
    let tuple = (
        r.status,
        r.status_text.as_str(),
        r.headers.clone(),
        PyBytes::new(py, &r.body),
        r.correlation_id.as_deref(),
        r.attempts,
    );
    Ok(tuple.into_pyobject(py)?.into_any().unbind())
}

/// A successful reply's headers, made into Python strings only when asked
/// for (`RESTResponse.header_list`): most callers only want the body.
#[pyclass(module = "purecore._purecore", frozen)]
pub struct Headers(Vec<(String, String)>);

#[pymethods]
impl Headers {
    /// `[(name, value)]`, names in lower case, in the order received.
    fn to_list(&self) -> PyResult<Vec<(String, String)>> {
        crate::runtime::guard(|| Ok(self.0.clone()))
    }

    fn __len__(&self) -> PyResult<usize> {
        crate::runtime::guard(|| Ok(self.0.len()))
    }

    /// Credential header values are never shown.
    fn __repr__(&self) -> PyResult<String> {
        crate::runtime::guard(|| {
            let shown: Vec<String> = purecore::logging::redact::headers(&self.0)
                .into_iter()
                .map(|(k, v)| format!("({k:?}, {v:?})"))
                .collect();
            Ok(format!("Headers([{}])", shown.join(", ")))
        })
    }
}

/// [`response_tuple`] for a successful reply, with [`Headers`] in place of the list.
pub fn reply_tuple(py: Python<'_>, r: purecore::Response) -> PyResult<Py<PyAny>> {
    let body = PyBytes::new(py, &r.body);
    let tuple = (r.status, r.status_text, Headers(r.headers), body, r.correlation_id, r.attempts);
    Ok(tuple.into_pyobject(py)?.into_any().unbind())
}

fn build(py: Python<'_>, e: &purecore::Error) -> PyResult<PyErr> {
    let factory = FACTORY.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("purecore.rest")?.getattr("_from_native")?.unbind())
    })?;
    let response = e.response().map(|r| response_tuple(py, r)).transpose()?;
    let args = (
        e.kind().as_str(),
        e.message(),
        e.status(),
        e.code(),
        e.context_id(),
        e.correlation_id(),
        e.retry_after().map(|d| d.as_secs_f64()),
        e.oauth_error(),
        e.oauth_error_description(),
        response,
    );
    Ok(PyErr::from_value(factory.bind(py).call1(args)?))
}

/// The Python exception for a core error (takes the GIL when needed).
pub fn to_py_err(e: purecore::Error) -> PyErr {
    Python::attach(|py| build(py, &e).unwrap_or_else(|import_failed| import_failed))
}
