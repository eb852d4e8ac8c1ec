//! `_purecore.Client`: one `purecore::Client`. Every I/O method takes
//! `aio`: False blocks with the GIL released, True returns an awaitable.

use std::time::UNIX_EPOCH;

use purecore::{AuthData, AuthorizeRequest, Body, Error, Request};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use serde_json::{Map, Value};

use crate::config;
use crate::decode;
use crate::errors::{reply_tuple, to_py_err};
use crate::runtime::{awaitable, block, guard};

static TOKEN_DICT: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

#[pyclass(module = "purecore._purecore", frozen)]
pub struct Client {
    inner: purecore::Client,
}

/// A token as the dict the official `get_code_authorization_token` returns.
/// It is a `TokenDict` (a dict whose repr hides the tokens).
pub fn auth_dict(py: Python<'_>, a: &AuthData) -> PyResult<Py<PyAny>> {
    let d = TOKEN_DICT
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("purecore._secrets")?.getattr("TokenDict")?.unbind())
        })?
        .bind(py)
        .call0()?
        .cast_into::<PyDict>()?;
    d.set_item("access_token", a.access_token.expose())?;
    d.set_item("token_type", &a.token_type)?;
    d.set_item("refresh_token", a.refresh_token.as_ref().map(|s| s.expose()))?;
    d.set_item("expires_in", a.expires_in)?;
    let at = a.expires_at.and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs_f64());
    d.set_item("expires_at", at)?;
    d.set_item("state", a.state.as_deref())?;
    Ok(d.into_any().unbind())
}

/// Blocks or returns an awaitable, then converts the result.
fn run<'py, T, F, C>(py: Python<'py>, aio: bool, fut: F, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    F: std::future::Future<Output = purecore::Result<T>> + Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    if aio {
        awaitable(py, fut, convert)
    } else {
        let value = block(py, fut)?;
        Ok(convert(py, value)?.into_bound(py))
    }
}

/// Like [`run`] for operation calls, where awaiting callers get `(future, abort)`
/// and abort the call themselves when their await is cancelled.
fn run_call<'py, T, F, C>(py: Python<'py>, aio: bool, fut: F, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    F: std::future::Future<Output = purecore::Result<T>> + Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    if aio {
        crate::runtime::spawn(py, fut, convert)?.into_pyobject(py).map(|t| t.into_any())
    } else {
        let value = block(py, fut)?;
        Ok(convert(py, value)?.into_bound(py))
    }
}

fn reply(py: Python<'_>, r: purecore::Response) -> PyResult<Py<PyAny>> {
    reply_tuple(py, r)
}

/// Parameters arrive as JSON text (the facade encodes dates and models).
fn params(json: &str) -> PyResult<Map<String, Value>> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(to_py_err(Error::invalid_argument("operation parameters must be a JSON object"))),
    }
}

/// `None`, `("json", bytes)` or `("form", [(name, value)])`.
pub fn body_to_py(py: Python<'_>, body: &Body) -> PyResult<Py<PyAny>> {
    Ok(match body {
        Body::None => py.None(),
        Body::Json(b) => ("json", PyBytes::new(py, b)).into_pyobject(py)?.into_any().unbind(),
        Body::Form(f) => ("form", f.clone()).into_pyobject(py)?.into_any().unbind(),
        Body::Raw { content_type, bytes } => {
            ("raw", (content_type.as_str(), PyBytes::new(py, bytes))).into_pyobject(py)?.into_any().unbind()
        }
    })
}

fn body_from_py(body: Option<&Bound<'_, PyAny>>) -> PyResult<Body> {
    let Some(b) = body.filter(|b| !b.is_none()) else { return Ok(Body::None) };
    let t = b
        .cast::<PyTuple>()
        .map_err(|_| to_py_err(Error::invalid_argument("body must be None or a (kind, data) tuple")))?;
    let kind: String = t.get_item(0)?.extract()?;
    let data = t.get_item(1)?;
    match kind.as_str() {
        "json" => Ok(Body::Json(data.extract::<Vec<u8>>()?.into())),
        "form" => Ok(Body::Form(data.extract()?)),
        "raw" => {
            let (content_type, bytes): (String, Vec<u8>) = data.extract()?;
            Ok(Body::Raw { content_type, bytes: bytes.into() })
        }
        other => Err(to_py_err(Error::invalid_argument(format!("unknown body kind '{other}'")))),
    }
}

/// Runs the facade's request hook with the GIL; its answer becomes the request to send.
fn run_request_hook(hook: &Py<PyAny>, req: purecore::HookRequest) -> purecore::Result<purecore::HookRequest> {
    Python::attach(|py| {
        let body = req.body.as_ref().map(|b| PyBytes::new(py, b));
        let args = (req.operation_id.clone(), req.method.clone(), req.url.clone(), req.headers.clone(), body);
        let answer = hook.call1(py, args).map_err(|e| hook_error(py, &e))?;
        let answer = answer.bind(py);
        if let Ok(id) = answer.extract::<String>() {
            return Err(Error::invalid_argument(format!("the pre-request hook raised: #{id}")));
        }
        type Change = (String, Vec<(String, String)>, Option<Vec<u8>>);
        let (url, headers, body): Change = answer.extract().map_err(|e| hook_error(py, &e))?;
        Ok(purecore::HookRequest { url, headers, body: body.map(Into::into), ..req })
    })
}

/// Runs the facade's response hook with the GIL for one attempt; a str it returns is the
/// id of the exception the post-request hook raised, which fails the call.
fn run_response_hook(hook: &Py<PyAny>, seen: &purecore::HookResponse) -> purecore::Result<()> {
    Python::attach(|py| {
        let reply = seen.status.map(|status| {
            let r = purecore::Response::new(status, seen.headers.clone(), seen.body.clone());
            (status, r.status_text, r.correlation_id)
        });
        let (status, reason, correlation_id) = match reply {
            Some((s, t, c)) => (Some(s), t, c),
            None => (None, String::new(), None),
        };
        let error = seen.error.as_ref().map(|e| (e.kind().as_str(), e.message().to_owned()));
        let args = (
            seen.operation_id.clone(),
            seen.method.clone(),
            seen.url.clone(),
            seen.attempt,
            status,
            reason,
            seen.headers.clone(),
            PyBytes::new(py, &seen.body),
            correlation_id,
            error,
        );
        let answer = hook
            .call1(py, args)
            .map_err(|e| Error::invalid_argument(format!("the post-request hook failed: {}", e.value(py))))?;
        match answer.bind(py).extract::<String>() {
            Ok(id) => Err(Error::invalid_argument(format!("the post-request hook raised: #{id}"))),
            Err(_) => Ok(()),
        }
    })
}

fn hook_error(py: Python<'_>, e: &PyErr) -> Error {
    Error::invalid_argument(format!("the pre-request hook failed: {}", e.value(py)))
}

#[pymethods]
impl Client {
    #[new]
    fn new(settings: &Bound<'_, PyDict>) -> PyResult<Self> {
        guard(|| {
            let config = config::from_settings(settings)?;
            let defaults = config::defaults(settings.py());
            Ok(Client { inner: purecore::Client::with_defaults(config, &defaults).map_err(to_py_err)? })
        })
    }

    /// Applies settings (dotted keys); nothing changes when one is bad.
    fn configure(&self, settings: &Bound<'_, PyDict>) -> PyResult<()> {
        guard(|| {
            let mut failed = None;
            self.inner
                .update_config(|c| {
                    let mut next = c.clone();
                    match config::apply(&mut next, settings) {
                        Ok(()) => *c = next,
                        Err(e) => failed = Some(e),
                    }
                })
                .map_err(to_py_err)?;
            failed.map_or(Ok(()), Err)
        })
    }

    /// The settings in force (config-file values included), secrets left out.
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(|| config::to_dict(py, &self.inner.config(), &self.inner.environment()))
    }

    /// Grants: `client_credentials (id, secret)`, `saml2 (id, secret, org, assertion)`,
    /// `code (id, secret, code, redirect_uri)`, `refresh (id, secret, refresh_token)`,
    /// `pkce (id, code, verifier, redirect_uri)`. Returns the token dict.
    #[pyo3(signature = (grant, args, aio=false))]
    fn login<'py>(&self, py: Python<'py>, grant: String, args: Vec<String>, aio: bool) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let c = self.inner.clone();
            let fut = async move {
                match (grant.as_str(), args.as_slice()) {
                    ("client_credentials", [id, secret]) => c.login_client_credentials(id, secret).await,
                    ("saml2", [id, secret, org, assertion]) => c.login_saml2_bearer(id, secret, org, assertion).await,
                    ("code", [id, secret, code, uri]) => c.login_code(id, secret, code, uri).await,
                    ("refresh", [id, secret, rt]) => c.refresh_code(id, secret, rt).await,
                    ("pkce", [id, code, verifier, uri]) => c.login_pkce(id, code, verifier, uri).await,
                    (g, a) => Err(Error::invalid_argument(format!("unknown grant '{g}' with {} arguments", a.len()))),
                }
            };
            run(py, aio, fut, |py, auth| auth_dict(py, &auth))
        })
    }

    /// `expires_in` in seconds, from 0 to `purecore::config::MAX_DURATION`.
    #[pyo3(signature = (token, expires_in=None))]
    fn set_access_token(&self, token: &str, expires_in: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        guard(|| {
            let d =
                expires_in.filter(|v| !v.is_none()).map(|v| config::argument_seconds("expires_in", v)).transpose()?;
            self.inner.set_access_token(token, d).map_err(to_py_err)
        })
    }

    fn auth_data(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        guard(|| self.inner.auth_data().map(|a| auth_dict(py, &a)).transpose())
    }

    fn logout(&self) -> PyResult<()> {
        guard(|| {
            self.inner.logout();
            Ok(())
        })
    }

    /// Returns `(url, state)`.
    #[pyo3(signature = (client_id, redirect_uri, response_type, state=None, code_challenge=None, org=None,
                        provider=None, target=None, login_hint=None, prompt=None))]
    #[allow(clippy::too_many_arguments)]
    fn authorize_url(
        &self,
        client_id: String,
        redirect_uri: String,
        response_type: String,
        state: Option<String>,
        code_challenge: Option<String>,
        org: Option<String>,
        provider: Option<String>,
        target: Option<String>,
        login_hint: Option<String>,
        prompt: Option<String>,
    ) -> PyResult<(String, String)> {
        let req = AuthorizeRequest {
            client_id,
            redirect_uri,
            response_type,
            state,
            code_challenge,
            org,
            provider,
            target,
            login_hint,
            prompt,
        };
        guard(|| {
            let u = self.inner.authorize_url(&req).map_err(to_py_err)?;
            Ok((u.url, u.state))
        })
    }

    #[pyo3(signature = (redirect_url, expected_state=None))]
    fn login_implicit(&self, py: Python<'_>, redirect_url: &str, expected_state: Option<&str>) -> PyResult<Py<PyAny>> {
        guard(|| {
            let auth = self.inner.login_implicit_redirect(redirect_url, expected_state).map_err(to_py_err)?;
            auth_dict(py, &auth)
        })
    }

    /// `callback(token_dict)` after every login and refresh, on any thread.
    fn set_token_callback(&self, callback: Option<Py<PyAny>>) -> PyResult<()> {
        guard(|| {
            let cb = callback.map(|cb| -> purecore::TokenCallback {
                std::sync::Arc::new(move |auth: &AuthData| {
                    config::call_host(&cb, |py| PyTuple::new(py, [auth_dict(py, auth)?]))
                })
            });
            self.inner.set_token_callback(cb);
            Ok(())
        })
    }

    /// The core's request hook: `hook(operation_id, method, url, headers, body)` (headers as
    /// `(name, value)` pairs, body bytes or None) once per call, with the request as built;
    /// it returns `(url, headers, body)` to send, or a str: the id of the exception the
    /// facade kept, which fails the call (nothing is sent). Called with the GIL, on the
    /// calling thread for blocking calls and on a runtime thread for asyncio ones.
    fn set_request_hook(&self, hook: Option<Py<PyAny>>) -> PyResult<()> {
        guard(|| {
            let hook = hook.map(|hook| {
                let hook = std::sync::Arc::new(hook);
                purecore::RequestHook::new(move |req: purecore::HookRequest| {
                    let out = run_request_hook(&hook, req);
                    Box::pin(std::future::ready(out))
                })
            });
            self.inner.set_request_hook(hook);
            Ok(())
        })
    }

    /// The core's response hook: `hook(operation_id, method, url, attempt, status, reason,
    /// headers, body, correlation_id, error)` after every attempt of every call (status
    /// None when no reply came; error `(kind, message)` when the attempt failed, else
    /// None); it returns None, or a str: the id of the exception the facade kept, which
    /// fails the call. Called with the GIL, on the thread running the call.
    fn set_response_hook(&self, hook: Option<Py<PyAny>>) -> PyResult<()> {
        guard(|| {
            let hook = hook.map(|hook| {
                let hook = std::sync::Arc::new(hook);
                purecore::ResponseHook::sync(move |seen: &purecore::HookResponse| run_response_hook(&hook, seen))
            });
            self.inner.set_response_hook(hook);
            Ok(())
        })
    }

    /// Calls a catalog operation; `params` is a JSON object keyed by spec names.
    /// With `aio`, returns `(future, abort)`. With `decode`, the reply comes as
    /// `(reply, (value,))` with the body already turned into the operation's
    /// model, or `(reply, None)` when the facade has to decode it.
    #[pyo3(signature = (operation_id, params_json, headers=Vec::new(), aio=false, decode=false))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation_id: String,
        params_json: &str,
        headers: Vec<(String, String)>,
        aio: bool,
        decode: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| self.call_inner(py, operation_id, params_json, headers, aio, decode))
    }

    /// Sends a request to the API host (the path of a built operation, or any path).
    /// With `aio`, returns `(future, abort)`.
    #[pyo3(signature = (method, path, query, headers, body=None, auth=true, aio=false))]
    #[allow(clippy::too_many_arguments)]
    fn request<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: String,
        query: Vec<(String, String)>,
        headers: Vec<(String, String)>,
        body: Option<&Bound<'py, PyAny>>,
        auth: bool,
        aio: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let mut req = Request::new(method, path);
            req.query = query;
            req.headers = headers;
            req.body = body_from_py(body)?;
            req.auth = auth;
            let c = self.inner.clone();
            run_call(py, aio, async move { c.request(req).await }, reply)
        })
    }

    fn reload_config_file(&self) -> PyResult<()> {
        guard(|| self.inner.reload_config_file().map_err(to_py_err))
    }

    /// The message of the last config-file error while the file is rejected.
    fn config_file_error(&self) -> PyResult<Option<String>> {
        guard(|| Ok(self.inner.config_file_error().map(|e| e.message().to_owned())))
    }
}

impl Client {
    fn call_inner<'py>(
        &self,
        py: Python<'py>,
        operation_id: String,
        params_json: &str,
        headers: Vec<(String, String)>,
        aio: bool,
        decode: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = params(params_json)?;
        let c = self.inner.clone();
        if !decode {
            return run_call(py, aio, async move { c.call_with_headers(&operation_id, &p, &headers).await }, reply);
        }
        let op = purecore::operation::operation(&operation_id).map_err(to_py_err)?;
        let ty = op.response.as_ref().map(ToString::to_string);
        let parse_ty = ty.clone();
        let fut = async move {
            let r = c.call_with_headers(&operation_id, &p, &headers).await?;
            // Parsed here, on the thread that waited for the reply, not on the event loop.
            let tree = decode::parse(&r, parse_ty.as_deref());
            Ok((r, tree))
        };
        run_call(py, aio, fut, move |py, (r, tree)| {
            let value = match (tree, ty) {
                // A model class that cannot be built is left to the facade, which reports it.
                (Some(tree), Some(ty)) => decode::to_python(py, &tree, &ty).ok().map(|v| (v,)),
                _ => None,
            };
            Ok((reply(py, r)?, value).into_pyobject(py)?.into_any().unbind())
        })
    }
}
