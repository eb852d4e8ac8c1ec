//! The HTTP client: hyper's pooled client over our own connector, which
//! opens TCP (TCP_NODELAY), tunnels through a proxy with CONNECT when one
//! applies, and speaks TLS with the configuration's rustls settings (ALPN
//! h2 or http/1.1; http/1.1 only without the `http2` feature).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::Body as _;
use hyper::http::{self, HeaderMap, HeaderName, HeaderValue, Method, Uri};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// Connections are closed after this long unused.
const POOL_IDLE: Duration = Duration::from_secs(60);
/// A proxy's reply to CONNECT larger than this is refused.
const MAX_CONNECT_REPLY: usize = 16 * 1024;

/// A pooled HTTP client of one set of transport settings. Cheap to clone;
/// clones share the pool.
#[derive(Clone)]
pub struct HttpClient {
    client: hyper_util::client::legacy::Client<Connector, Full<Bytes>>,
    user_agent: HeaderValue,
    proxies: Option<Arc<Proxies>>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient").finish_non_exhaustive()
    }
}

/// Where requests go through a proxy, and the credentials they present.
pub(crate) struct Proxies {
    matcher: Matcher,
    /// Overrides credentials written in the proxy URL.
    auth: Option<HeaderValue>,
    /// `NO_PROXY=*`: no request goes through the proxy (as curl has it).
    bypass_all: bool,
}

impl Proxies {
    pub(crate) fn new(matcher: Matcher, auth: Option<HeaderValue>, bypass_all: bool) -> Proxies {
        Proxies { matcher, auth, bypass_all }
    }

    /// The proxy for `dst` and its `Proxy-Authorization` value, if any.
    fn route(&self, dst: &Uri) -> Option<(Uri, Option<HeaderValue>)> {
        if self.bypass_all {
            return None;
        }
        let hit = self.matcher.intercept(dst)?;
        let auth = self.auth.clone().or_else(|| hit.basic_auth().cloned());
        Some((hit.uri().clone(), auth))
    }
}

/// The settings an [`HttpClient`] is built from.
pub(crate) struct Settings {
    pub tls: Arc<rustls::ClientConfig>,
    pub connect_timeout: Duration,
    pub user_agent: HeaderValue,
    pub proxies: Option<Proxies>,
}

impl HttpClient {
    pub(crate) fn new(s: Settings) -> HttpClient {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        // A proxy is spoken to in HTTP/1.1 (CONNECT or absolute-form requests).
        let mut proxy_tls = (*s.tls).clone();
        proxy_tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let proxies = s.proxies.map(Arc::new);
        let connector = Connector {
            tcp,
            tls: TlsConnector::from(s.tls),
            proxy_tls: TlsConnector::from(Arc::new(proxy_tls)),
            proxies: proxies.clone(),
            connect_timeout: s.connect_timeout,
        };
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(connector);
        HttpClient { client, user_agent: s.user_agent, proxies }
    }

    /// Sends one request and reads the whole reply within `timeout`, its body
    /// up to the limit `limits` sets for its status.
    pub(crate) async fn send(
        &self,
        method: &str,
        url: &url::Url,
        headers: &[(String, String)],
        body: Option<Bytes>,
        timeout: Duration,
        limits: BodyLimits,
    ) -> Result<Reply, SendError> {
        let request = self.build(method, url, headers, body).map_err(SendError::Invalid)?;
        let deadline = crate::clock::after(timeout);
        let resp = match tokio::time::timeout_at(deadline, self.client.request(request)).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                let stage = if e.is_connect() { Stage::Connect } else { Stage::Send };
                let timed_out = is_timeout(&e);
                return Err(SendError::Failed { stage, timed_out, message: describe(&e), partial: None });
            }
            Err(_) => return Err(timed_out(Stage::Send, timeout, None)),
        };
        let (parts, mut body) = resp.into_parts();
        let status = parts.status.as_u16();
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let (limit, setting) = limits.for_status(status);
        // A declared length (Content-Length) over the limit: refused unread. The
        // body's size hint is hyper's reading of the header, and 0 where no body
        // comes (HEAD, 204, 304).
        let declared = body.size_hint().lower();
        if declared > limit {
            let declared = Some(declared);
            return Err(SendError::TooLarge { limit, setting, declared, partial: (status, headers) });
        }
        // Frame by frame, counting: never more than the limit is kept.
        // Room for the declared length up front, but no more than 16 MiB before
        // that much has come: a server's word is not memory yet.
        let mut buf = BytesMut::with_capacity(usize::try_from(declared.min(16 << 20)).unwrap_or(0));
        loop {
            match tokio::time::timeout_at(deadline, body.frame()).await {
                Ok(None) => break,
                Ok(Some(Ok(frame))) => {
                    let Ok(data) = frame.into_data() else { continue };
                    if (buf.len() as u64).saturating_add(data.len() as u64) > limit {
                        return Err(SendError::TooLarge { limit, setting, declared: None, partial: (status, headers) });
                    }
                    buf.extend_from_slice(&data);
                }
                Ok(Some(Err(e))) => {
                    return Err(SendError::Failed {
                        stage: Stage::Body,
                        timed_out: is_timeout(&e),
                        message: describe(&e),
                        partial: Some((status, headers)),
                    })
                }
                Err(_) => return Err(timed_out(Stage::Body, timeout, Some((status, headers)))),
            }
        }
        Ok(Reply { status, headers, body: buf.freeze() })
    }

    fn build(
        &self,
        method: &str,
        url: &url::Url,
        headers: &[(String, String)],
        body: Option<Bytes>,
    ) -> Result<http::Request<Full<Bytes>>, String> {
        let method = Method::from_bytes(method.as_bytes()).map_err(|_| format!("'{method}' is not an HTTP method"))?;
        let uri: Uri = url
            .as_str()
            .parse()
            .map_err(|e| format!("'{}' is not a usable URL: {e}", crate::logging::redact::url(url.as_str())))?;
        let mut map = HeaderMap::with_capacity(headers.len().saturating_add(2));
        for (k, v) in headers {
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| format!("'{k}' is not a valid header name"))?;
            let value = HeaderValue::from_str(v)
                .map_err(|_| format!("the value of header '{k}' has characters a header cannot carry"))?;
            map.append(name, value);
        }
        if !map.contains_key(http::header::USER_AGENT) {
            map.insert(http::header::USER_AGENT, self.user_agent.clone());
        }
        // Plain-HTTP requests through a proxy carry its credentials themselves;
        // HTTPS ones present them in the CONNECT request.
        if uri.scheme_str() == Some("http") {
            if let Some((_, Some(auth))) = self.proxies.as_ref().and_then(|p| p.route(&uri)) {
                map.insert(http::header::PROXY_AUTHORIZATION, auth);
            }
        }
        let mut req = http::Request::new(Full::new(body.unwrap_or_default()));
        *req.method_mut() = method;
        *req.uri_mut() = uri;
        *req.headers_mut() = map;
        Ok(req)
    }
}

/// The most bytes of a reply body read: one limit for successful (2xx) replies
/// and one for the others, each with the name of its setting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    pub success: (u64, &'static str),
    pub error: (u64, &'static str),
}

impl BodyLimits {
    fn for_status(&self, status: u16) -> (u64, &'static str) {
        if (200..300).contains(&status) {
            self.success
        } else {
            self.error
        }
    }
}

/// A whole reply.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// How far an exchange got before it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// No connection: the request was not sent.
    Connect,
    /// Connected; the request may have been sent, no reply head came.
    Send,
    /// The reply head came; its body did not.
    Body,
}

pub(crate) enum SendError {
    /// The transport settings are unusable (a bad proxy variable, TLS material):
    /// nothing was sent, and sending again cannot help.
    Unusable(crate::error::Error),
    /// The request cannot be expressed (bad method, URL or header).
    Invalid(String),
    /// The reply's body is larger than `limit` (the setting named `setting`):
    /// it declared `declared` bytes and was not read, or reading stopped at the
    /// limit. The status and headers came.
    TooLarge {
        limit: u64,
        setting: &'static str,
        declared: Option<u64>,
        partial: (u16, Vec<(String, String)>),
    },
    Failed {
        stage: Stage,
        timed_out: bool,
        message: String,
        partial: Option<(u16, Vec<(String, String)>)>,
    },
}

fn timed_out(stage: Stage, timeout: Duration, partial: Option<(u16, Vec<(String, String)>)>) -> SendError {
    let message = format!("no complete reply within {} ms", timeout.as_millis());
    SendError::Failed { stage, timed_out: true, message, partial }
}

/// Whether any cause of `e` is a timeout.
fn is_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::TimedOut) {
            return true;
        }
        cur = err.source();
    }
    false
}

/// An error with its causes, one after another.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        src = s.source();
    }
    out
}

/// Opens connections for the pool.
#[derive(Clone)]
struct Connector {
    tcp: HttpConnector,
    tls: TlsConnector,
    proxy_tls: TlsConnector,
    proxies: Option<Arc<Proxies>>,
    connect_timeout: Duration,
}

impl tower_service::Service<Uri> for Connector {
    type Response = Conn;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<Conn>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let limit = this.connect_timeout;
            tokio::time::timeout(limit, this.connect(dst)).await.unwrap_or_else(|_| {
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("connecting took longer than {} ms", limit.as_millis()),
                ))
            })
        })
    }
}

impl Connector {
    async fn connect(mut self, dst: Uri) -> io::Result<Conn> {
        let https = dst.scheme_str() == Some("https");
        let route = self.proxies.as_ref().and_then(|p| p.route(&dst));
        let Some((proxy, auth)) = route else {
            let io = self.tcp_to(&dst).await?;
            return if https { self.tls_to(&self.tls, io, &dst).await } else { Ok(Conn::new(io, false, false)) };
        };
        let io = match proxy.scheme_str() {
            Some("http") => self.tcp_to(&proxy).await?,
            Some("https") => {
                let tcp = self.tcp_to(&proxy).await?;
                self.tls_to(&self.proxy_tls, tcp, &proxy).await?.io.into_inner()
            }
            other => {
                return Err(io::Error::other(format!(
                    "{} proxies are not supported (use an http:// or https:// proxy)",
                    other.unwrap_or("scheme-less")
                )))
            }
        };
        if !https {
            // Requests go to the proxy in absolute form.
            return Ok(Conn::new(io, true, false));
        }
        let mut io = io;
        tunnel(&mut io, &dst, auth.as_ref()).await?;
        self.tls_to(&self.tls, io, &dst).await
    }

    async fn tcp_to(&mut self, dst: &Uri) -> io::Result<Io> {
        use tower_service::Service;
        let stream = self.tcp.call(dst.clone()).await.map_err(io::Error::other)?;
        Ok(Io::Tcp(stream.into_inner()))
    }

    async fn tls_to(&self, tls: &TlsConnector, io: Io, dst: &Uri) -> io::Result<Conn> {
        let host = dst.host().unwrap_or("").trim_start_matches('[').trim_end_matches(']');
        let name = rustls_pki_types::ServerName::try_from(host.to_owned()).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("'{host}' is not a TLS server name: {e}"))
        })?;
        let stream = tls.connect(name, io).await?;
        let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
        Ok(Conn::new(Io::Tls(Box::new(stream)), false, h2))
    }
}

/// Asks the proxy on `io` to open a tunnel to `dst` (`CONNECT host:port`).
async fn tunnel(io: &mut Io, dst: &Uri, auth: Option<&HeaderValue>) -> io::Result<()> {
    let host = dst.host().unwrap_or("");
    let port = dst.port_u16().unwrap_or(443);
    let mut head = format!("CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n").into_bytes();
    if let Some(a) = auth {
        head.extend_from_slice(b"Proxy-Authorization: ");
        head.extend_from_slice(a.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    io.write_all(&head).await?;
    io.flush().await?;
    // The proxy says nothing after its reply until the TLS handshake starts,
    // so reading in chunks cannot take bytes of the tunnel.
    let mut reply = Vec::with_capacity(256);
    let mut chunk = [0u8; 512];
    while !reply.windows(4).any(|w| w == b"\r\n\r\n") {
        if reply.len() > MAX_CONNECT_REPLY {
            return Err(io::Error::other("the proxy's reply to CONNECT is too large"));
        }
        let n = io.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the proxy closed the connection during CONNECT"));
        }
        reply.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    let line = reply.split(|&b| b == b'\r').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split_whitespace();
    let status = match (parts.next(), parts.next()) {
        (Some(v), Some(code)) if v.starts_with("HTTP/1.") => code.parse::<u16>().ok(),
        _ => None,
    };
    match status {
        Some(200..=299) => Ok(()),
        Some(407) => Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the proxy requires (other) credentials: 407 Proxy Authentication Required",
        )),
        _ => Err(io::Error::other(format!("the proxy refused the tunnel: {}", line.trim()))),
    }
}

/// A TCP stream, or TLS over a TCP stream (or over TLS to a proxy).
enum Io {
    Tcp(TcpStream),
    Tls(Box<TlsStream<Io>>),
}

impl AsyncRead for Io {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Io {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Io::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Io::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Io::Tcp(s) => s.is_write_vectored(),
            Io::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Tcp(s) => Pin::new(s).poll_flush(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// A connection as the pool sees it.
struct Conn {
    io: TokioIo<Io>,
    /// Plain HTTP through a proxy: requests go in absolute form.
    proxied: bool,
    h2: bool,
}

impl Conn {
    fn new(io: Io, proxied: bool, h2: bool) -> Conn {
        Conn { io: TokioIo::new(io), proxied, h2 }
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        let c = Connected::new().proxy(self.proxied);
        if self.h2 {
            c.negotiated_h2()
        } else {
            c
        }
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        hyper::rt::Write::is_write_vectored(&self.io)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
