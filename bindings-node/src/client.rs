//! `NativeClient`: one `purecore::Client`. Setters are synchronous and throw
//! (`code` = the core's error kind); network calls are `async` and resolve
//! to an outcome object holding either the result or the error's fields.

use napi::bindgen_prelude::{Buffer, Either, Function, Promise, Unknown};
use napi_derive::napi;
use purecore::{AuthorizeRequest, Body, Client, Config, ConfigFile, Request};
use serde_json::{Map, Value};
use std::collections::HashMap;

use crate::callbacks::{self, JsHookChange, JsHookRequest, JsHookResponse, JsHookVerdict, JsLogLine, JsRetryEvent};
use crate::config;
use crate::convert::{
    self, auth_outcome, call_fields, call_outcome, caught, invalid, sync, thrown, AuthOutcome, CallOutcome,
    ErrorFields, JsAuthData, Thrown,
};

/// How a client starts: everything optional.
#[napi(object)]
pub struct ClientOptions {
    /// Names the default config file `~/.genesyscloud<hostLanguage>/config`. Default `javascript`.
    pub host_language: Option<String>,
    /// `"default"` (the default), `"none"` or a path.
    pub config_file: Option<String>,
    /// Appended to the User-Agent (e.g. `node/v20.1.0`).
    pub user_agent_suffix: Option<String>,
}

/// What to put in an authorize URL (implicit, code and PKCE flows).
#[napi(object)]
pub struct JsAuthorizeRequest {
    pub client_id: String,
    pub redirect_uri: String,
    /// `token` (implicit) or `code`.
    pub response_type: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub org: Option<String>,
    pub provider: Option<String>,
    pub target: Option<String>,
    pub login_hint: Option<String>,
    pub prompt: Option<String>,
}

#[napi(object)]
pub struct JsAuthorizeUrl {
    pub url: String,
    pub state: String,
}

/// A raw request to the API host.
#[napi(object)]
pub struct JsRequest {
    pub method: String,
    /// Starts with `/` (`/api/v2/users/me`); may carry a query.
    pub path: String,
    pub query: Option<Vec<Vec<String>>>,
    pub headers: Option<HashMap<String, String>>,
    /// JSON text (sent as application/json unless `contentType` says otherwise) or bytes.
    pub body: Option<Either<String, Buffer>>,
    pub content_type: Option<String>,
    /// Send the bearer token. Default true.
    pub auth: Option<bool>,
}

/// Where an operation's request goes, for request hooks.
#[napi(object)]
pub struct JsRequestInfo {
    pub method: String,
    pub url: String,
    pub path: String,
    pub query: Vec<Vec<String>>,
    pub headers: HashMap<String, String>,
}

#[napi]
pub struct NativeClient {
    inner: Client,
    /// One flag per call that can be aborted (`opts.signal`), by the id JavaScript gave it.
    /// `cancelCall` may run before the call starts: it then leaves a raised flag the call
    /// finds at once.
    cancels: std::sync::Arc<std::sync::Mutex<HashMap<u32, tokio::sync::watch::Sender<bool>>>>,
}

fn header_list(h: Option<HashMap<String, String>>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = h.unwrap_or_default().into_iter().collect();
    v.sort();
    v
}

fn params(json: &str) -> Result<Map<String, Value>, Thrown> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(_) => Err(invalid("operation parameters must be an object")),
        Err(e) => Err(invalid(format!("operation parameters are not serialisable: {e}"))),
    }
}

fn raw_request(r: JsRequest) -> Request {
    let mut req = Request::new(&r.method, r.path);
    for pair in r.query.unwrap_or_default() {
        if let [k, v] = pair.as_slice() {
            req.query.push((k.clone(), v.clone()));
        }
    }
    req.headers = header_list(r.headers);
    req.body = match (r.body, r.content_type) {
        (None, _) => Body::None,
        (Some(Either::A(text)), None) => Body::Json(text.into_bytes().into()),
        (Some(Either::A(text)), Some(ct)) => Body::Raw { content_type: ct, bytes: text.into_bytes().into() },
        (Some(Either::B(bytes)), ct) => Body::Raw {
            content_type: ct.unwrap_or_else(|| "application/octet-stream".into()),
            bytes: bytes.to_vec().into(),
        },
    };
    req.auth = r.auth.unwrap_or(true);
    req
}

#[napi]
impl NativeClient {
    #[napi(constructor)]
    pub fn new(options: Option<ClientOptions>) -> Result<Self, Thrown> {
        sync(|| {
            let o =
                options.unwrap_or(ClientOptions { host_language: None, config_file: None, user_agent_suffix: None });
            let config = Config {
                host_language: o.host_language.unwrap_or_else(|| "javascript".into()),
                config_file: match o.config_file.as_deref() {
                    None | Some("default") => ConfigFile::Default,
                    Some("none") | Some("") => ConfigFile::None,
                    Some(path) => ConfigFile::Path(path.into()),
                },
                user_agent_suffix: o.user_agent_suffix,
                ..Config::default()
            };
            // The environment's PURECORE_* variables fill in what is still at these defaults.
            let defaults = Config {
                host_language: config.host_language.clone(),
                user_agent_suffix: config.user_agent_suffix.clone(),
                config_file: ConfigFile::Default,
                ..Config::default()
            };
            let inner = Client::with_defaults(config, &defaults).map_err(thrown)?;
            Ok(NativeClient { inner, cancels: Default::default() })
        })
    }

    // ---- settings ----

    #[napi]
    pub fn set_environment(&self, value: String) -> Result<(), Thrown> {
        sync(|| self.inner.set_environment(&value).map_err(thrown))
    }

    /// Changes settings: a JSON object of the core's dotted setting names to values
    /// (durations in seconds, `null` for the default). On error nothing changes.
    #[napi]
    pub fn apply_config(&self, patch: String) -> Result<(), Thrown> {
        sync(|| {
            let mut patch_error = None;
            let result = self.inner.update_config(|c| {
                let mut next = c.clone();
                match config::apply(&patch, &mut next) {
                    Ok(()) => *c = next,
                    Err(e) => patch_error = Some(e),
                }
            });
            if let Some(e) = patch_error {
                return Err(thrown(e));
            }
            result.map_err(thrown)
        })
    }

    /// Every setting by its dotted name, as JSON text (see `config::view`).
    #[napi]
    pub fn settings(&self) -> Result<String, Thrown> {
        sync(|| Ok(config::view(&self.inner.config(), &self.inner.environment())))
    }

    #[napi]
    pub fn set_retry_hook(&self, hook: Option<Function<'_, JsRetryEvent, Unknown<'static>>>) -> Result<(), Thrown> {
        sync(|| {
            let hook = hook.as_ref().map(callbacks::retry_hook).transpose().map_err(convert::napi_error)?;
            self.inner.update_config(|c| c.retry.hook = hook).map_err(thrown)
        })
    }

    /// The core's request hook: sees each API call's built request once and resolves with
    /// the request to send (see `JsHookChange`); null removes it.
    #[napi]
    pub fn set_request_hook(
        &self,
        hook: Option<Function<'_, JsHookRequest, Promise<JsHookChange>>>,
    ) -> Result<(), Thrown> {
        sync(|| {
            let hook = hook.as_ref().map(callbacks::request_hook).transpose().map_err(convert::napi_error)?;
            self.inner.set_request_hook(hook);
            Ok(())
        })
    }

    /// The core's response hook: sees every attempt of every API call (see
    /// `JsHookResponse`) and resolves once done with it; null removes it.
    #[napi]
    pub fn set_response_hook(
        &self,
        hook: Option<Function<'_, JsHookResponse, Promise<JsHookVerdict>>>,
    ) -> Result<(), Thrown> {
        sync(|| {
            let hook = hook.as_ref().map(callbacks::response_hook).transpose().map_err(convert::napi_error)?;
            self.inner.set_response_hook(hook);
            Ok(())
        })
    }

    #[napi]
    pub fn set_log_sink(&self, sink: Option<Function<'_, JsLogLine, Unknown<'static>>>) -> Result<(), Thrown> {
        sync(|| {
            let sink = sink.as_ref().map(callbacks::log_sink).transpose().map_err(convert::napi_error)?;
            self.inner.update_config(|c| c.logging.sink = sink).map_err(thrown)
        })
    }

    #[napi]
    pub fn set_token_callback(&self, cb: Option<Function<'_, JsAuthData, Unknown<'static>>>) -> Result<(), Thrown> {
        sync(|| {
            let cb = cb.as_ref().map(callbacks::token_callback).transpose().map_err(convert::napi_error)?;
            self.inner.set_token_callback(cb);
            Ok(())
        })
    }

    #[napi]
    pub fn reload_config_file(&self) -> Result<(), Thrown> {
        sync(|| self.inner.reload_config_file().map_err(thrown))
    }

    /// The error that made the config file be rejected, if it currently is.
    #[napi]
    pub fn config_file_error(&self) -> Result<Option<ErrorFields>, Thrown> {
        sync(|| Ok(self.inner.config_file_error().as_ref().map(convert::error)))
    }

    // ---- tokens ----

    #[napi]
    pub fn auth_data(&self) -> Result<Option<JsAuthData>, Thrown> {
        sync(|| Ok(self.inner.auth_data().as_ref().map(convert::auth)))
    }

    /// `expiresInSeconds`: 0 to 10,000,000 (the core's longest duration); refused otherwise.
    #[napi]
    pub fn set_access_token(&self, token: String, expires_in_seconds: Option<f64>) -> Result<(), Thrown> {
        sync(|| {
            let expires = expires_in_seconds
                .map(|s| convert::setting(purecore::config::duration_from_secs("expiresInSeconds", s)))
                .transpose()?;
            self.inner.set_access_token(&token, expires).map_err(thrown)
        })
    }

    #[napi]
    pub fn logout(&self) -> Result<(), Thrown> {
        sync(|| {
            self.inner.logout();
            Ok(())
        })
    }

    #[napi]
    pub fn authorize_url(&self, req: JsAuthorizeRequest) -> Result<JsAuthorizeUrl, Thrown> {
        sync(|| self.authorize_url_inner(req))
    }

    /// Parses an implicit-grant redirect URL (or its fragment) and uses its token.
    #[napi]
    pub fn login_implicit_redirect(
        &self,
        redirect: String,
        expected_state: Option<String>,
    ) -> Result<AuthOutcome, Thrown> {
        sync(|| Ok(auth_outcome(self.inner.login_implicit_redirect(&redirect, expected_state.as_deref()))))
    }

    #[napi]
    pub async fn login_client_credentials(&self, client_id: String, secret: String) -> AuthOutcome {
        auth_outcome(caught(self.inner.login_client_credentials(&client_id, &secret)).await.and_then(|r| r))
    }

    #[napi]
    pub async fn login_saml2_bearer(
        &self,
        client_id: String,
        secret: String,
        org_name: String,
        assertion: String,
    ) -> AuthOutcome {
        let grant = self.inner.login_saml2_bearer(&client_id, &secret, &org_name, &assertion);
        auth_outcome(caught(grant).await.and_then(|r| r))
    }

    #[napi]
    pub async fn login_code(
        &self,
        client_id: String,
        secret: String,
        code: String,
        redirect_uri: String,
    ) -> AuthOutcome {
        auth_outcome(caught(self.inner.login_code(&client_id, &secret, &code, &redirect_uri)).await.and_then(|r| r))
    }

    #[napi]
    pub async fn refresh_code(&self, client_id: String, secret: String, refresh_token: String) -> AuthOutcome {
        auth_outcome(caught(self.inner.refresh_code(&client_id, &secret, &refresh_token)).await.and_then(|r| r))
    }

    #[napi]
    pub async fn login_pkce(
        &self,
        client_id: String,
        code: String,
        code_verifier: String,
        redirect_uri: String,
    ) -> AuthOutcome {
        let grant = self.inner.login_pkce(&client_id, &code, &code_verifier, &redirect_uri);
        auth_outcome(caught(grant).await.and_then(|r| r))
    }

    // ---- calls ----

    /// Calls an operation by id; `params` is JSON keyed by the spec's parameter names. When the
    /// operation declares a JSON reply, a body that is not JSON is a `decoding` error.
    #[napi]
    pub async fn call(
        &self,
        operation_id: String,
        params_json: String,
        headers: Option<HashMap<String, String>>,
        cancel_id: Option<u32>,
    ) -> CallOutcome {
        let Some(id) = cancel_id else { return self.call_now(operation_id, params_json, headers).await };
        let mut raised = self.cancel_flag(id).subscribe();
        let outcome = tokio::select! {
            biased;
            _ = raised.wait_for(|c| *c) => CallOutcome { response: None, error: None },
            o = self.call_now(operation_id, params_json, headers) => o,
        };
        if let Ok(mut map) = self.cancels.lock() {
            map.remove(&id);
        }
        outcome
    }

    /// Stops the call given `cancel_id` (its `AbortSignal` fired): its future is dropped, as
    /// C's cancel handles and Python's cancelled awaits do, and it resolves with neither a
    /// response nor an error, which the facade turns into an `AbortError`.
    #[napi]
    pub fn cancel_call(&self, cancel_id: u32) {
        self.cancel_flag(cancel_id).send_replace(true);
    }

    fn cancel_flag(&self, id: u32) -> tokio::sync::watch::Sender<bool> {
        match self.cancels.lock() {
            Ok(mut map) => map.entry(id).or_insert_with(|| tokio::sync::watch::channel(false).0).clone(),
            Err(_) => tokio::sync::watch::channel(false).0,
        }
    }

    async fn call_now(
        &self,
        operation_id: String,
        params_json: String,
        headers: Option<HashMap<String, String>>,
    ) -> CallOutcome {
        let outcome = caught(async {
            let map = match params(&params_json) {
                Ok(m) => m,
                Err(e) => return call_fields(Err(to_core(e))),
            };
            let result = self.inner.call_with_headers(&operation_id, &map, &header_list(headers)).await;
            let json = purecore::operation::operation(&operation_id).is_ok_and(convert::declares_json);
            match result {
                Ok(r) if json => convert::checked_json(r),
                other => call_outcome(other),
            }
        })
        .await;
        outcome.unwrap_or_else(|e| call_fields(Err(e)))
    }

    #[napi]
    pub async fn request(&self, req: JsRequest) -> CallOutcome {
        // The request is built inside the guarded future too.
        call_outcome(caught(async { self.inner.request(raw_request(req)).await }).await.and_then(|r| r))
    }

    /// The method, URL and headers an operation call would use (nothing is sent).
    #[napi]
    pub fn describe(&self, operation_id: String, params_json: String) -> Result<JsRequestInfo, Thrown> {
        sync(|| {
            let op = purecore::operation::operation(&operation_id).map_err(thrown)?;
            let req = purecore::operation::build_request(op, &params(&params_json)?).map_err(thrown)?;
            Ok(JsRequestInfo {
                url: self.inner.environment().api_url(&req.path),
                method: req.method,
                path: req.path,
                query: req.query.into_iter().map(|(k, v)| vec![k, v]).collect(),
                headers: req.headers.into_iter().collect(),
            })
        })
    }
}

impl NativeClient {
    fn authorize_url_inner(&self, req: JsAuthorizeRequest) -> Result<JsAuthorizeUrl, Thrown> {
        let r = AuthorizeRequest {
            client_id: req.client_id,
            redirect_uri: req.redirect_uri,
            response_type: req.response_type.unwrap_or_else(|| "token".into()),
            state: req.state,
            code_challenge: req.code_challenge,
            org: req.org,
            provider: req.provider,
            target: req.target,
            login_hint: req.login_hint,
            prompt: req.prompt,
        };
        let u = self.inner.authorize_url(&r).map_err(thrown)?;
        Ok(JsAuthorizeUrl { url: u.url, state: u.state })
    }
}

fn to_core(e: convert::Thrown) -> purecore::Error {
    purecore::Error::invalid_argument(e.reason)
}
