//! A tiny raw HTTP/1.1 client over tokio streams, for driving the emulator in tests.
#![allow(dead_code, clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use std::io;

use base64::Engine;
use purecore_emulator::{creds, Emulator, EmulatorOptions};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The connection ended before Content-Length bytes arrived.
    pub truncated: bool,
    pub content_length: Option<usize>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): status {} body {:?}", self.status, String::from_utf8_lossy(&self.body))
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Builds the bytes of one request.
pub fn request_bytes(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n");
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" || method == "PUT" {
        out.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Reads one response (Content-Length framed). `Err(UnexpectedEof)` when nothing arrives.
pub async fn read_response<S: AsyncRead + Unpin>(s: &mut S) -> io::Result<Resp> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("connection closed after {} bytes", buf.len()),
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad status line {status_line:?}")))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let content_length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = buf[head_end + 4..].to_vec();
    let want = content_length.unwrap_or(0);
    let mut truncated = false;
    while body.len() < want {
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => {
                truncated = true;
                break;
            }
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Ok(Resp { status, headers, body, truncated, content_length })
}

pub async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut S,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Resp> {
    s.write_all(&request_bytes(method, path, headers, body)).await?;
    s.flush().await?;
    read_response(s).await
}

/// One request on a fresh connection.
pub async fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<Resp> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
    exchange(&mut s, method, path, headers, body).await
}

pub async fn get(emu: &Emulator, path: &str, token: Option<&str>) -> Resp {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut h = vec![];
    if let Some(a) = &auth {
        h.push(("authorization", a.as_str()));
    }
    request(emu.port(), "GET", path, &h, b"").await.unwrap()
}

pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}")))
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// `POST path` with a form body and optional Basic auth.
pub async fn post_form(emu: &Emulator, path: &str, auth: Option<(&str, &str)>, pairs: &[(&str, &str)]) -> Resp {
    let body = form(pairs);
    let b = auth.map(|(i, s)| basic(i, s));
    let mut h = vec![("content-type", "application/x-www-form-urlencoded")];
    if let Some(b) = &b {
        h.push(("authorization", b.as_str()));
    }
    request(emu.port(), "POST", path, &h, body.as_bytes()).await.unwrap()
}

pub async fn client_credentials(emu: &Emulator) -> String {
    let r = post_form(
        emu,
        "/oauth/token",
        Some((creds::CLIENT_ID, creds::CLIENT_SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["access_token"].as_str().unwrap().to_string()
}

pub async fn start() -> Emulator {
    Emulator::start(EmulatorOptions::default()).await.unwrap()
}

pub async fn post_json(emu: &Emulator, path: &str, token: Option<&str>, body: &str) -> Resp {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut h = vec![("content-type", "application/json")];
    if let Some(a) = &auth {
        h.push(("authorization", a.as_str()));
    }
    request(emu.port(), "POST", path, &h, body.as_bytes()).await.unwrap()
}

/// Splits a URL's query (after `?`) or fragment (after `#`) into pairs.
pub fn params_after(url: &str, sep: char) -> Vec<(String, String)> {
    let part = url.split_once(sep).map(|(_, p)| p).unwrap_or_default();
    url::form_urlencoded::parse(part.as_bytes()).into_owned().collect()
}

pub fn param<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
