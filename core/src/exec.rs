//! Sending one request: token, headers, retries, 401 refresh, logging.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::json;

use crate::config::Config;
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::hooks::{CallHooks, ExchangeEvent, HookRequest, HookResponse, RetryEvent};
use crate::logging::{HttpEvent, LogLevel, Logger};
use crate::request::{Body, Request};
use crate::response::Response;
use crate::retry::Failure;
use crate::secret::Secret;
use crate::transport::{BodyLimits, HttpSend, Outgoing, Reply, SendError, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Api,
    Login,
}

/// Everything one call needs, fixed for the duration of that call.
pub(crate) struct Settings {
    pub config: Config,
    pub env: Environment,
    /// Sends the requests (the HTTP clients, kept while the transport settings stay).
    pub sender: Arc<dyn HttpSend>,
    pub logger: Logger,
}

/// The current [`Settings`] of a client, swapped whole when they change.
pub(crate) struct SettingsCell(RwLock<Arc<Settings>>);

impl SettingsCell {
    pub(crate) fn new(settings: Settings) -> SettingsCell {
        SettingsCell(RwLock::new(Arc::new(settings)))
    }

    pub(crate) fn get(&self) -> Arc<Settings> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set(&self, settings: Settings) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(settings);
    }
}

/// A future the engine awaits from a [`TokenSource`].
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The token to send, with the generation and refresh epoch it was taken at.
pub(crate) struct Token {
    pub secret: Secret,
    pub generation: u64,
    pub epoch: u64,
}

/// The session as the engine sees it when a call meets a 401.
pub(crate) struct TokenState {
    pub generation: u64,
    pub has_token: bool,
    pub renewable: bool,
}

/// Where the engine gets tokens, and asks for a renewal after a 401. The
/// session in `auth` is one; the engine knows only this, so that auth (which
/// sends its token requests through the engine) and the engine do not depend
/// on each other.
pub(crate) trait TokenSource: Send + Sync {
    /// The token for the next attempt, renewed first when it is about to expire.
    fn authorize<'a>(&'a self, settings: &'a Settings) -> BoxFuture<'a, Result<Token>>;
    fn state(&self) -> TokenState;
    /// Renews the token of `generation` (once for every caller that saw it rejected).
    fn refresh<'a>(&'a self, generation: u64, epoch: u64, settings: &'a Settings) -> BoxFuture<'a, Result<()>>;
}

struct Attempt {
    outcome: std::result::Result<Response, (Failure, Error)>,
}

/// The host's hooks for one API call, and the operation it is (when called by id).
#[derive(Clone, Copy)]
pub(crate) struct Hooked<'a> {
    pub hooks: &'a CallHooks,
    pub operation_id: Option<&'a str>,
}

/// A request ready to send, built once per call: every header but the token.
struct Prepared {
    url: url::Url,
    headers: Vec<(String, String)>,
    body: Option<Bytes>,
}

fn prepare(settings: &Settings, req: &Request, url: url::Url) -> Prepared {
    let cfg = &settings.config;
    let mut headers: Vec<(String, String)> =
        Vec::with_capacity(cfg.default_headers.len().saturating_add(req.headers.len()).saturating_add(3));
    headers.push(("accept".into(), "application/json".into()));
    for (k, v) in cfg.default_headers.iter().chain(req.headers.iter()) {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
        headers.push((k.clone(), v.clone()));
    }
    let (body, content_type): (Option<Bytes>, Option<String>) = match &req.body {
        Body::None => (None, None),
        Body::Json(b) => (Some(b.clone()), Some("application/json".into())),
        Body::Form(fields) => {
            let s = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
            (Some(Bytes::from(s)), Some("application/x-www-form-urlencoded".into()))
        }
        Body::Raw { content_type, bytes } => (Some(bytes.clone()), Some(content_type.clone())),
    };
    if let Some(ct) = content_type {
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
            headers.push(("content-type".into(), ct));
        }
    }
    Prepared { url, headers, body }
}

/// The request hook's turn: it sees the built request and returns the one to send,
/// whose URL and headers are checked as a caller's would be.
async fn hook_request(req: &Request, hooked: Hooked<'_>, prepared: Prepared) -> Result<Prepared> {
    let Some(hook) = &hooked.hooks.request else {
        return Ok(prepared);
    };
    let origin = prepared.url.origin();
    let seen = HookRequest {
        operation_id: hooked.operation_id.map(str::to_owned),
        method: req.method.clone(),
        url: prepared.url.to_string(),
        headers: prepared.headers,
        body: prepared.body,
    };
    let changed = crate::hooks::guarded("request", || (hook.0)(seen)).await?;
    // The token goes with the request: the hook may change the path and query, not the host.
    let url = url::Url::parse(&changed.url).ok().filter(|u| u.origin() == origin).ok_or_else(|| {
        Error::invalid_argument(format!(
            "the request hook gave '{}', which is not a URL on the API host ({}): a hook may change the path and query only",
            crate::logging::redact::url(&changed.url),
            origin.ascii_serialization()
        ))
    })?;
    for (k, v) in &changed.headers {
        crate::request::check_header(k, v).map_err(|e| {
            let msg = format!("the request hook set a bad header: {}", e.message());
            e.with_message(msg)
        })?;
    }
    Ok(Prepared { url, headers: changed.headers, body: changed.body })
}

/// The response hook's turn, after every attempt of an API call.
async fn hook_response(
    hooked: Hooked<'_>,
    req: &Request,
    url: &url::Url,
    attempt: u32,
    outcome: &std::result::Result<Response, (Failure, Error)>,
) -> Result<()> {
    let Some(hook) = &hooked.hooks.response else {
        return Ok(());
    };
    let (status, headers, body, error) = match outcome {
        Ok(r) => {
            let error = (!r.is_success()).then(|| Error::from_response(r.clone()));
            (Some(r.status), r.headers.clone(), r.body.clone(), error)
        }
        Err((_, e)) => {
            (e.status(), e.response().map(|r| r.headers.clone()).unwrap_or_default(), Bytes::new(), Some(e.clone()))
        }
    };
    let seen = HookResponse {
        operation_id: hooked.operation_id.map(str::to_owned),
        method: req.method.clone(),
        url: url.to_string(),
        attempt,
        status,
        headers,
        body,
        error,
    };
    crate::hooks::guarded("response", || (hook.0)(seen)).await
}

fn build_url(settings: &Settings, req: &Request, target: Target) -> Result<url::Url> {
    let raw = match target {
        Target::Api => settings.env.api_url(&req.path),
        Target::Login => settings.env.login_url(&req.path),
    };
    let mut url =
        url::Url::parse(&raw).map_err(|e| Error::invalid_argument(format!("'{raw}' is not a valid URL: {e}")))?;
    if !req.query.is_empty() {
        let mut q = url.query_pairs_mut();
        for (k, v) in &req.query {
            q.append_pair(k, v);
        }
    }
    Ok(url)
}

/// How often one call is sent again after a 401, each time with the newest
/// token (renewed when it was the one rejected), within `refresh_token_wait_max`
/// of the first 401. Covers back-to-back revocations; a 401 after that is final.
const MAX_AUTH_RESENDS: u32 = 3;

/// Runs a request to completion under the retry and refresh rules: retried at
/// most `max_retries` times when given (else as the settings say), with tokens
/// from `tokens` when the request carries one.
pub(crate) async fn execute(
    settings: &Settings,
    tokens: Option<&dyn TokenSource>,
    hooked: Option<Hooked<'_>>,
    req: &Request,
    target: Target,
    max_retries: Option<u32>,
) -> Result<Response> {
    req.validate()?;
    let mut prepared = prepare(settings, req, build_url(settings, req, target)?);
    if let Some(h) = hooked {
        prepared = hook_request(req, h, prepared).await?;
    }
    let url = &prepared.url;
    let mut policy_override = None;
    if let Some(n) = max_retries {
        policy_override = Some(crate::retry::RetryConfig { max_retries: n, ..settings.config.retry.clone() });
    }
    let policy = policy_override.as_ref().unwrap_or(&settings.config.retry);
    // A token request is safe to repeat: at worst the platform issues one more token.
    let force_idempotent = target == Target::Login;
    // Retries made, and those that count against `max_retries`.
    let mut retries = 0u32;
    let mut counted = 0u32;
    let mut waited = Duration::ZERO;
    let mut auth_resends = 0u32;
    let mut auth_deadline: Option<tokio::time::Instant> = None;
    let mut tries = 0u32;
    loop {
        tries = tries.saturating_add(1);
        let token = match (req.auth, tokens) {
            (false, _) => None,
            (true, Some(source)) => Some(source.authorize(settings).await?),
            (true, None) => return Err(Error::internal("a request that needs a token was sent without a session")),
        };
        let (generation, epoch) = token.as_ref().map_or((0, 0), |t| (t.generation, t.epoch));
        // API calls wait for room in the token's rate budget (token requests are not paced).
        let permit = match (&token, target) {
            (Some(t), Target::Api) => crate::governor::acquire(&pacing(settings), t.secret.expose()).await?,
            _ => None,
        };
        let attempt =
            send_once(settings, req, &prepared, target, token.as_ref().map(|t| t.secret.expose()), tries).await;
        if let Some(p) = permit {
            let reply = match &attempt.outcome {
                Ok(r) => Some(r),
                Err((_, e)) => e.response(),
            };
            p.learn(reply, &settings.logger).await;
        }
        if let Some(h) = hooked {
            hook_response(h, req, url, tries, &attempt.outcome).await?;
        }
        let (failure, err) = match attempt.outcome {
            Ok(mut resp) if resp.is_success() => {
                resp.attempts = tries;
                return Ok(resp);
            }
            Ok(resp) => {
                let status = resp.status;
                if let (401, Some(source), true) =
                    (status, tokens.filter(|_| req.auth), settings.config.refresh.refresh_access_token)
                {
                    let wait_max = settings.config.refresh.refresh_token_wait_max;
                    let deadline = *auth_deadline.get_or_insert_with(|| crate::clock::after(wait_max));
                    let cur = source.state();
                    if auth_resends < MAX_AUTH_RESENDS && tokio::time::Instant::now() < deadline {
                        if cur.generation != generation && cur.has_token {
                            // A newer token came meanwhile: send again with it.
                            auth_resends = auth_resends.saturating_add(1);
                            continue;
                        }
                        if cur.renewable {
                            auth_resends = auth_resends.saturating_add(1);
                            source.refresh(generation, epoch, settings).await?;
                            continue;
                        }
                    }
                }
                let err = match target {
                    Target::Login => Error::from_token_response(resp),
                    Target::Api => Error::from_response(resp),
                };
                (Failure::Status(status), err)
            }
            Err(fe) => fe,
        };
        // A 429 that says when to come back is retried until `max_total_wait`
        // (and at most MAX_RETRIES times), not `max_retries`; others count.
        let told_when = failure == Failure::Status(429) && err.retry_after().is_some();
        let more = if told_when {
            policy.max_retries > 0 && retries < crate::config::MAX_RETRIES
        } else {
            counted < policy.max_retries
        };
        if !more || !policy.may_retry(&req.method, failure, force_idempotent) {
            return Err(finish(err, tries));
        }
        let wait = policy.wait(retries.saturating_add(1), failure, err.retry_after());
        if waited.saturating_add(wait) > policy.max_total_wait {
            return Err(finish(err, tries));
        }
        retries = retries.saturating_add(1);
        if !told_when {
            counted = counted.saturating_add(1);
        }
        waited = waited.saturating_add(wait);
        let status = match failure {
            Failure::Status(s) => Some(s),
            _ => None,
        };
        let reason = match failure {
            Failure::Status(s) => format!("status {s}"),
            Failure::Connect => "connect error".into(),
            Failure::Read => "read error".into(),
            Failure::Fatal => "fatal".into(),
        };
        settings.logger.event(
            LogLevel::Debug,
            "retrying",
            &[
                ("method", json!(req.method)),
                ("url", json!(crate::logging::redact::url(url.as_str()))),
                ("attempt", json!(retries)),
                ("status", status.map_or(serde_json::Value::Null, |s| json!(s))),
                ("waitMs", json!(wait.as_millis() as u64)),
                ("reason", json!(reason)),
            ],
        );
        if let Some(hook) = &policy.hook {
            let ev = RetryEvent {
                attempt: retries,
                method: req.method.clone(),
                url: crate::logging::redact::url(url.as_str()),
                status,
                wait,
                reason,
            };
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(&ev))).is_err() {
                settings.logger.event(LogLevel::Error, "the retry hook panicked", &[]);
            }
        }
        tokio::time::sleep(wait).await;
    }
}

/// The governor's settings of this client.
fn pacing(settings: &Settings) -> crate::governor::Pacing<'_> {
    let cfg = &settings.config;
    crate::governor::Pacing {
        mode: cfg.rate_limit,
        wait_max: cfg.rate_limit_wait_max,
        store: cfg.shared_budget_url(),
        logger: &settings.logger,
    }
}

/// Records on the error (and its response) how many times the request was sent.
fn finish(err: Error, tries: u32) -> Error {
    if tries > 1 && err.response().is_some() {
        let msg = format!("{} (after {tries} attempts)", err.message());
        return err.with_message(msg).with_attempts(tries);
    }
    err
}

async fn send_once(
    settings: &Settings,
    req: &Request,
    prepared: &Prepared,
    target: Target,
    token: Option<&str>,
    attempt: u32,
) -> Attempt {
    let cfg = &settings.config;
    let url = &prepared.url;
    let mut headers = prepared.headers.clone();
    if let Some(t) = token {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
        headers.push(("authorization".into(), format!("Bearer {t}")));
    }
    let body = prepared.body.clone();
    let content_type = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.to_owned());
    let timeout = match target {
        Target::Api => cfg.timeout,
        Target::Login => cfg.auth_timeout,
    };
    let limits = match target {
        Target::Api => BodyLimits {
            success: (cfg.max_response_body_bytes, "max_response_body_bytes"),
            error: (cfg.max_error_body_bytes, "max_error_body_bytes"),
        },
        Target::Login => BodyLimits {
            success: (cfg.max_token_response_bytes, "max_token_response_bytes"),
            error: (cfg.max_token_response_bytes, "max_token_response_bytes"),
        },
    };
    let started = Instant::now();
    let outgoing = Outgoing { method: &req.method, url, headers: &headers, body: body.clone(), timeout, limits };
    let sent = settings.sender.send(outgoing).await;
    let outcome = match sent {
        Ok(Reply { status, headers, body }) => Ok(Response::new(status, headers, body)),
        Err(SendError::Unusable(e)) => Err((Failure::Fatal, e)),
        Err(SendError::Invalid(msg)) => Err((Failure::Fatal, Error::invalid_argument(msg))),
        Err(SendError::TooLarge { limit, setting, declared, partial: (status, resp_headers) }) => {
            // Not transient: the same request would get the same reply.
            let what = match declared {
                Some(n) => format!("it declares {n} bytes (Content-Length); its body was not read"),
                None => "reading stopped there".to_owned(),
            };
            let err = Error::new(
                ErrorKind::Decoding,
                format!(
                    "the reply to {} {} (HTTP {status}) is too large: its body exceeds {setting} ({limit} bytes); {what}",
                    req.method, req.path
                ),
            );
            Err((Failure::Fatal, err.with_partial_response(Response::new(status, resp_headers, Bytes::new()))))
        }
        Err(SendError::Failed { stage, timed_out, message, partial }) => {
            let kind = if timed_out { ErrorKind::Timeout } else { ErrorKind::Connection };
            match partial {
                Some((status, resp_headers)) => {
                    let partial = Response::new(status, resp_headers, Bytes::new());
                    let err =
                        Error::new(kind, format!("reading the reply of {} {} failed: {message}", req.method, req.path));
                    Err((Failure::Read, err.with_partial_response(partial)))
                }
                None => {
                    let failure = if stage == Stage::Connect { Failure::Connect } else { Failure::Read };
                    let what = if timed_out { "timed out" } else { "failed" };
                    Err((failure, Error::new(kind, format!("{} {} {what}: {message}", req.method, req.path))))
                }
            }
        }
    };
    let elapsed = started.elapsed();
    let (status, resp_headers, resp_body, cid, error_text) = match &outcome {
        Ok(r) => (Some(r.status), Some(r.headers.as_slice()), Some(r.body.as_ref()), r.correlation_id.as_deref(), None),
        Err((_, e)) => (
            e.status(),
            e.response().map(|r| r.headers.as_slice()),
            None,
            e.correlation_id(),
            Some(e.message().to_owned()),
        ),
    };
    let resp_ct = resp_headers.and_then(|h| h.iter().find(|(k, _)| k == "content-type").map(|(_, v)| v.as_str()));
    settings.logger.http(&HttpEvent {
        method: &req.method,
        url: url.as_str(),
        status,
        duration: elapsed,
        correlation_id: cid,
        attempt,
        request_headers: &headers,
        response_headers: resp_headers,
        request_body: body.as_deref(),
        request_content_type: content_type.as_deref(),
        response_body: resp_body,
        response_content_type: resp_ct,
        error: error_text.as_deref(),
        is_token_call: target == Target::Login,
    });
    if let Some(hook) = &cfg.exchange_hook {
        let ev = ExchangeEvent {
            method: req.method.clone(),
            url: crate::logging::redact::url(url.as_str()),
            status,
            duration: elapsed,
            attempt,
            correlation_id: cid.map(str::to_owned),
            response_headers: resp_headers.map(crate::logging::redact::headers).unwrap_or_default(),
            error: error_text.clone(),
            is_token_call: target == Target::Login,
        };
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (hook.0)(&ev))).is_err() {
            settings.logger.event(LogLevel::Error, "the exchange hook panicked", &[]);
        }
    }
    Attempt { outcome }
}

#[cfg(test)]
mod tests {
    //! The retry rules, against a scripted server (no sockets).
    use super::*;
    use crate::logging::LogConfig;
    use crate::transport::scripted::{refused, reply, reset, Scripted};

    fn settings(sender: Arc<Scripted>) -> Settings {
        let mut config = Config::default();
        config.retry.wait_min = Duration::from_millis(1);
        config.retry.wait_max = Duration::from_millis(4);
        Settings { env: config.environment.clone(), config, sender, logger: Logger::new(LogConfig::default()) }
    }

    async fn call(server: &Arc<Scripted>, req: Request) -> Result<Response> {
        execute(&settings(server.clone()), None, None, &req.without_auth(), Target::Api, None).await
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_waits_its_retry_after_then_retries() {
        let server = Scripted::replies(vec![(429, vec![("retry-after", "7")], "{}"), (200, vec![], "{\"ok\":true}")]);
        let started = tokio::time::Instant::now();
        let resp = call(&server, Request::post("/api/v2/things")).await.unwrap();
        assert_eq!((resp.status, resp.attempts), (200, 2));
        assert_eq!(server.requests().len(), 2, "a POST is sent again after a 429: the server did not act on it");
        assert!(started.elapsed() >= Duration::from_secs(7), "waited {:?}", started.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn a_5xx_is_retried_for_a_get_up_to_max_retries() {
        let server = Scripted::replies(vec![(503, vec![], "busy")]);
        let err = call(&server, Request::get("/api/v2/users/me")).await.unwrap_err();
        assert_eq!(err.status(), Some(503));
        assert_eq!(server.requests().len(), 4, "the first try and max_retries (3) retries");
        assert!(err.message().contains("after 4 attempts"), "{}", err.message());
    }

    #[tokio::test(start_paused = true)]
    async fn a_post_is_not_sent_again_after_a_5xx_or_once_it_may_have_arrived() {
        let server = Scripted::replies(vec![(502, vec![], "bad gateway"), (200, vec![], "{}")]);
        let err = call(&server, Request::post("/api/v2/things")).await.unwrap_err();
        assert_eq!((err.status(), server.requests().len()), (Some(502), 1));

        let server = Scripted::new(|_, n| if n == 0 { Err(reset()) } else { Ok(reply(200, &[], "{}")) });
        let err = call(&server, Request::post("/api/v2/things")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection);
        assert_eq!(server.requests().len(), 1, "the body was sent: the server may have acted on it");

        // The same reset for a GET, and a refused connection for a POST (nothing sent), are retried.
        let server = Scripted::new(|_, n| if n == 0 { Err(reset()) } else { Ok(reply(200, &[], "{}")) });
        assert_eq!(call(&server, Request::get("/api/v2/things")).await.unwrap().attempts, 2);
        let server = Scripted::new(|_, n| if n == 0 { Err(refused()) } else { Ok(reply(200, &[], "{}")) });
        assert_eq!(call(&server, Request::post("/api/v2/things")).await.unwrap().attempts, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn no_retry_when_max_retries_is_zero_and_a_404_is_final() {
        let server = Scripted::replies(vec![(500, vec![], "oops")]);
        let req = Request::get("/api/v2/x").without_auth();
        let err = execute(&settings(server.clone()), None, None, &req, Target::Api, Some(0)).await.unwrap_err();
        assert_eq!((err.status(), server.requests().len()), (Some(500), 1));
        let server = Scripted::replies(vec![(404, vec![], "{\"code\":\"not.found\"}")]);
        let err = call(&server, Request::get("/api/v2/x")).await.unwrap_err();
        assert_eq!((err.code(), server.requests().len()), (Some("not.found"), 1));
    }

    #[tokio::test]
    async fn headers_reach_the_transport_with_the_defaults_and_the_body() {
        let server = Scripted::replies(vec![(200, vec![], "{}")]);
        let req = Request::post("/api/v2/things").header("X-Mine", "1").json(&serde_json::json!({"a": 1}));
        call(&server, req).await.unwrap();
        let seen = &server.requests()[0];
        assert_eq!((seen.method.as_str(), seen.url.as_str()), ("POST", "https://api.mypurecloud.com/api/v2/things"));
        assert_eq!(seen.header("x-mine"), Some("1"));
        assert_eq!(seen.header("content-type"), Some("application/json"));
        assert_eq!(seen.header("accept"), Some("application/json"));
        assert_eq!(seen.body.as_deref(), Some(&b"{\"a\":1}"[..]));
    }

    mod hooks {
        use super::*;
        use crate::hooks::{RequestHook, ResponseHook};
        use std::sync::Mutex;

        async fn hooked_call(server: &Arc<Scripted>, hooks: &CallHooks, req: Request) -> Result<Response> {
            let hooked = Hooked { hooks, operation_id: Some("postThings") };
            execute(&settings(server.clone()), None, Some(hooked), &req.without_auth(), Target::Api, None).await
        }

        #[tokio::test(start_paused = true)]
        async fn the_request_hook_runs_once_and_its_changes_are_sent_on_every_attempt() {
            let server = Scripted::replies(vec![(503, vec![], "busy"), (200, vec![], "{}")]);
            let calls = Arc::new(Mutex::new(Vec::new()));
            let seen = calls.clone();
            let hooks = CallHooks {
                request: Some(RequestHook::sync(move |r| {
                    seen.lock().unwrap().push((r.operation_id.clone(), r.method.clone(), r.url.clone()));
                    r.headers.push(("X-Signed".into(), "abc".into()));
                    r.url.push_str("&extra=1");
                    r.body = Some(Bytes::from_static(b"{\"changed\":true}"));
                    Ok(())
                })),
                response: None,
            };
            let req = Request::new("PUT", "/api/v2/things/1").query("a", "b").json(&serde_json::json!({"x": 1}));
            let resp = hooked_call(&server, &hooks, req).await.unwrap();
            assert_eq!(resp.attempts, 2);
            assert_eq!(
                calls.lock().unwrap().clone(),
                vec![(
                    Some("postThings".to_owned()),
                    "PUT".to_owned(),
                    "https://api.mypurecloud.com/api/v2/things/1?a=b".to_owned()
                )],
                "once per call, not per attempt"
            );
            for sent in server.requests() {
                assert_eq!(sent.url, "https://api.mypurecloud.com/api/v2/things/1?a=b&extra=1");
                assert_eq!(sent.header("x-signed"), Some("abc"));
                assert_eq!(sent.body.as_deref(), Some(&b"{\"changed\":true}"[..]));
            }
        }

        #[tokio::test(start_paused = true)]
        async fn the_response_hook_sees_every_attempt() {
            let server = Scripted::new(|_, n| match n {
                0 => Err(refused()),
                1 => Ok(reply(503, &[("x-n", "1")], "busy")),
                _ => Ok(reply(200, &[], "{\"ok\":1}")),
            });
            let attempts = Arc::new(Mutex::new(Vec::new()));
            let seen = attempts.clone();
            let hooks = CallHooks {
                request: None,
                response: Some(ResponseHook::sync(move |r| {
                    let kind = r.error.as_ref().map(|e| e.kind());
                    seen.lock().unwrap().push((
                        r.attempt,
                        r.status,
                        kind,
                        String::from_utf8_lossy(&r.body).into_owned(),
                    ));
                    Ok(())
                })),
            };
            hooked_call(&server, &hooks, Request::get("/api/v2/x")).await.unwrap();
            assert_eq!(
                attempts.lock().unwrap().clone(),
                vec![
                    (1, None, Some(ErrorKind::Connection), String::new()),
                    (2, Some(503), Some(ErrorKind::HttpStatus), "busy".to_owned()),
                    (3, Some(200), None, "{\"ok\":1}".to_owned()),
                ]
            );
        }

        #[tokio::test]
        async fn hook_errors_end_the_call_and_bad_changes_are_refused() {
            let server = Scripted::replies(vec![(200, vec![], "{}")]);
            let refuse = CallHooks {
                request: Some(RequestHook::sync(|_| Err(Error::invalid_argument("not today")))),
                response: None,
            };
            let err = hooked_call(&server, &refuse, Request::get("/api/v2/x")).await.unwrap_err();
            assert_eq!(err.message(), "not today");
            assert!(server.requests().is_empty(), "nothing was sent");

            let plain = CallHooks {
                request: Some(RequestHook::sync(|r| {
                    r.url = "http://example.com/api/v2/x".into();
                    Ok(())
                })),
                response: None,
            };
            let err = hooked_call(&server, &plain, Request::get("/api/v2/x")).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument);
            assert!(err.message().contains("not a URL on the API host"), "{}", err.message());

            let header = CallHooks {
                request: Some(RequestHook::sync(|r| {
                    r.headers.push(("X-Bad".into(), "a\r\nb".into()));
                    Ok(())
                })),
                response: None,
            };
            let err = hooked_call(&server, &header, Request::get("/api/v2/x")).await.unwrap_err();
            assert!(err.message().starts_with("the request hook set a bad header"), "{}", err.message());

            let panics = CallHooks { request: None, response: Some(ResponseHook::sync(|_| panic!("boom"))) };
            let err = hooked_call(&server, &panics, Request::get("/api/v2/x")).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Internal);
            assert!(err.message().contains("the response hook panicked: boom"), "{}", err.message());
            assert_eq!(server.requests().len(), 1, "only the last call was sent: the refused changes never were");
        }
    }
}
