//! The TCP/TLS accept loop, per-connection hyper HTTP/1.1 serving, and the request
//! pipeline: read body → count → fault → handle → record → respond.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming as HyperBody;
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::body::RespBody;
use crate::model::{FaultKind, RecordedRequest};
use crate::reply::{genesys_error, not_found, uuid_v4, Reply};
use crate::request::{classify, split_prefix, Endpoint, Incoming};
use crate::state::{Area, State};
use crate::{admin, api, faults, oauth};

/// Largest request body accepted (larger → 413).
const MAX_BODY: usize = 16 * 1024 * 1024;
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Returned by the service to make hyper drop the connection without answering.
#[derive(Debug)]
struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("emulator fault: connection reset")
    }
}

impl std::error::Error for ResetConnection {}

/// Binds 127.0.0.1:`port` and spawns the accept loop. Aborting the returned task stops the
/// server: dropping its `JoinSet` aborts every connection task.
pub(crate) async fn start(
    port: u16,
    tls: Option<Arc<rustls::ServerConfig>>,
    state: Arc<State>,
) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let acceptor = tls.map(TlsAcceptor::from);
    let task = tokio::spawn(accept_loop(listener, acceptor, state));
    Ok((addr, task))
}

async fn accept_loop(listener: TcpListener, acceptor: Option<TlsAcceptor>, state: Arc<State>) {
    let mut conns: JoinSet<()> = JoinSet::new();
    loop {
        tokio::select! {
            res = listener.accept() => match res {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    conns.spawn(serve_conn(stream, acceptor.clone(), state.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

async fn serve_conn(stream: TcpStream, acceptor: Option<TlsAcceptor>, state: Arc<State>) {
    match acceptor {
        None => serve_io(TokioIo::new(stream), state).await,
        Some(acceptor) => {
            if let Ok(Ok(tls)) = tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                serve_io(TokioIo::new(tls), state).await;
            }
        }
    }
}

async fn serve_io<I>(io: I, state: Arc<State>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let svc = service_fn(move |req| handle(state.clone(), req));
    let _ = http1::Builder::new().keep_alive(true).serve_connection(io, svc).await;
}

/// Reads the whole body; `Err(None)` when the client went away, `Err(Some(reply))` when too big.
async fn read_body(body: HyperBody, cid: &str) -> Result<Bytes, Option<Reply>> {
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(Some(genesys_error(
            413,
            "request.entity.too.large",
            &format!("The request body exceeds {MAX_BODY} bytes"),
            cid,
        ))),
        Err(_) => Err(None),
    }
}

async fn handle(state: Arc<State>, req: Request<HyperBody>) -> Result<Response<RespBody>, ResetConnection> {
    let at_ms = state.elapsed_ms();
    let cid = uuid_v4();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let (prefix, route_path) = split_prefix(&path);
    let endpoint = classify(prefix, route_path);
    let body = match read_body(body, &cid).await {
        Ok(b) => b,
        Err(Some(reply)) => return Ok(respond(reply, &cid, false)),
        Err(None) => return Err(ResetConnection),
    };
    let inc = Incoming {
        method: parts.method,
        route_path: route_path.to_string(),
        prefix: prefix.to_string(),
        path: path.clone(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        headers: parts.headers,
        body,
        cid,
    };

    match endpoint {
        Endpoint::Admin => return Ok(respond(admin::handle(&state, &inc), &inc.cid, false)),
        Endpoint::Health => return Ok(respond(Reply::text(200, "ok"), &inc.cid, false)),
        Endpoint::Token => state.count_token_request(&oauth::grant_of(&inc)),
        Endpoint::Api => state.count_api_request(format!("{} {}", inc.method, inc.route_path)),
        Endpoint::Authorize => state.count_authorize(),
        Endpoint::OauthOther | Endpoint::Other => {}
    }

    if endpoint == Endpoint::Token {
        if let Some(retry_after) = state.token_request_limit(&crate::limits::client_of(&inc)) {
            let reply = crate::limits::token_limited(retry_after);
            record(&state, &inc, at_ms, reply.status);
            return Ok(respond(reply, &inc.cid, false));
        }
    }

    let area = match endpoint {
        Endpoint::Token => Some(Area::Token),
        Endpoint::Api => Some(Area::Api),
        _ => None,
    };
    let mut truncate = false;
    let mut expires_in = None;
    if let Some(area) = area {
        match state.take_fault(area, inc.method.as_str(), &inc.path) {
            None => {}
            Some(FaultKind::Status { status, retry_after, body, content_type }) => {
                let mut reply = faults::status_reply(area, status, retry_after, body, content_type, &inc.cid);
                if area == Area::Api {
                    let rate = state.rate_check(api::bearer(&inc), false);
                    reply = api::with_rate_headers(reply, &rate);
                }
                record(&state, &inc, at_ms, reply.status);
                return Ok(respond(reply, &inc.cid, false));
            }
            Some(FaultKind::Delay { ms }) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Some(FaultKind::Reset) => {
                record(&state, &inc, at_ms, 0);
                return Err(ResetConnection);
            }
            Some(FaultKind::Truncate) => truncate = true,
            Some(FaultKind::Endless { status }) => {
                record(&state, &inc, at_ms, status);
                return Ok(generated(&state, area, &inc, status, RespBody::Endless));
            }
            Some(FaultKind::Large { status, bytes, chunked }) => {
                record(&state, &inc, at_ms, status);
                return Ok(generated(&state, area, &inc, status, RespBody::generated(bytes, !chunked)));
            }
            Some(FaultKind::ExpiresIn { value }) => expires_in = Some(value),
        }
    }

    let reply = match endpoint {
        Endpoint::Token => oauth::token(&state, &inc),
        Endpoint::Authorize => oauth::authorize(&state, &inc),
        Endpoint::Api => api::handle(&state, &inc),
        _ => not_found(&inc.cid, &format!("{} {}", inc.method, inc.path)),
    };
    let reply = match expires_in {
        Some(value) => with_expires_in(reply, value),
        None => reply,
    };
    let truncate = truncate && !reply.body.is_empty();
    record(&state, &inc, at_ms, if truncate { 200 } else { reply.status });
    Ok(respond(reply, &inc.cid, truncate))
}

/// The answer of a body-size fault: `status`, JSON content type, the generated body.
fn generated(state: &State, area: Area, inc: &Incoming, status: u16, body: RespBody) -> Response<RespBody> {
    let mut reply = Reply::new(status, Some(crate::reply::JSON), Bytes::new());
    if area == Area::Api {
        let rate = state.rate_check(api::bearer(inc), false);
        reply = api::with_rate_headers(reply, &rate);
    }
    let mut resp = respond(reply, &inc.cid, false);
    *resp.body_mut() = body;
    resp
}

/// A successful token reply with its `expires_in` replaced by `value`.
fn with_expires_in(mut reply: Reply, value: serde_json::Value) -> Reply {
    if reply.status != 200 {
        return reply;
    }
    if let Ok(serde_json::Value::Object(mut o)) = serde_json::from_slice::<serde_json::Value>(&reply.body) {
        if o.contains_key("access_token") {
            o.insert("expires_in".into(), value);
            reply.body = Bytes::from(serde_json::Value::Object(o).to_string());
        }
    }
    reply
}

fn record(state: &State, inc: &Incoming, at_ms: u64, status: u16) {
    state.record(RecordedRequest {
        at_ms,
        method: inc.method.to_string(),
        path: inc.path.clone(),
        query: inc.query.clone(),
        headers: inc
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body: String::from_utf8_lossy(&inc.body).into_owned(),
        prefix: inc.prefix.clone(),
        status,
    });
}

/// Turns a [`Reply`] into a hyper response with `inin-correlation-id`. With `truncate`, the
/// status becomes 200 and only half the body is written under the full Content-Length.
fn respond(reply: Reply, cid: &str, truncate: bool) -> Response<RespBody> {
    let status = if truncate { 200 } else { reply.status };
    let mut resp = Response::new(RespBody::Full(None));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    for (name, value) in &reply.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            headers.append(n, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(cid) {
        headers.insert("inin-correlation-id", v);
    }
    let body = reply.body;
    if truncate {
        headers.insert(hyper::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        *resp.body_mut() = RespBody::truncated(body.slice(..body.len() / 2));
    } else {
        *resp.body_mut() = RespBody::full(body);
    }
    resp
}
