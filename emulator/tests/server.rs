#![allow(clippy::unwrap_used)]
//! Connection handling, TLS, shutdown and the binary.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use purecore_emulator::{creds, Emulator, EmulatorOptions};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

fn tls_connector(ca_pem: &str) -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

#[tokio::test]
async fn tls_handshake_with_generated_ca() {
    let emu = Emulator::start(EmulatorOptions { tls: true, ..Default::default() }).await.unwrap();
    assert!(emu.base_url().starts_with("https://127.0.0.1:"));
    let ca = emu.ca_pem().unwrap();
    let connector = tls_connector(&ca);
    for name in ["localhost", "127.0.0.1"] {
        let tcp = TcpStream::connect(("127.0.0.1", emu.port())).await.unwrap();
        let server_name = ServerName::try_from(name.to_string()).unwrap();
        let mut tls = connector.connect(server_name, tcp).await.unwrap();
        let body = form(&[("grant_type", "client_credentials")]);
        let auth = basic(creds::CLIENT_ID, creds::CLIENT_SECRET);
        let r = exchange(
            &mut tls,
            "POST",
            "/oauth/token",
            &[("content-type", "application/x-www-form-urlencoded"), ("authorization", &auth)],
            body.as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200, "{name}");
        let token = r.json()["access_token"].as_str().unwrap().to_string();
        let r = exchange(&mut tls, "GET", "/api/v2/users/me", &[("authorization", &format!("Bearer {token}"))], b"")
            .await
            .unwrap();
        assert_eq!(r.status, 200);
    }
    // a client trusting another CA fails the handshake
    let other = Emulator::start(EmulatorOptions { tls: true, ..Default::default() }).await.unwrap();
    let wrong = tls_connector(&other.ca_pem().unwrap());
    let tcp = TcpStream::connect(("127.0.0.1", emu.port())).await.unwrap();
    assert!(wrong.connect(ServerName::try_from("localhost").unwrap(), tcp).await.is_err());
    // plain HTTP has no CA
    let plain = start().await;
    assert!(plain.ca_pem().is_none());
    assert!(plain.base_url().starts_with("http://127.0.0.1:"));
    assert!(!plain.base_url().ends_with('/'));
}

#[tokio::test]
async fn keep_alive_serves_many_requests_on_one_connection() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let auth = format!("Bearer {t}");
    let mut s = TcpStream::connect(("127.0.0.1", emu.port())).await.unwrap();
    for _ in 0..50 {
        let r = exchange(&mut s, "GET", "/api/v2/users/me", &[("authorization", &auth)], b"").await.unwrap();
        assert_eq!(r.status, 200);
    }
    // pipelined, the last one closes the connection
    let mut all = request_bytes("GET", "/health", &[], b"");
    all.extend(request_bytes("GET", "/api/v2/users/me", &[("authorization", &auth)], b""));
    all.extend(request_bytes("GET", "/health", &[("connection", "close")], b""));
    s.write_all(&all).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await.unwrap().unwrap();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
    assert!(text.contains(creds::USER_ID));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_requests() {
    let emu = start().await;
    let t = client_credentials(&emu).await;
    let port = emu.port();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..200 {
        let auth = format!("Bearer {t}");
        set.spawn(async move {
            let path = if i % 2 == 0 { "/api/v2/users/me" } else { "/api/v2/users?pageSize=5" };
            request(port, "GET", path, &[("authorization", &auth)], b"").await.unwrap().status
        });
    }
    let mut ok = 0;
    while let Some(s) = set.join_next().await {
        assert_eq!(s.unwrap(), 200);
        ok += 1;
    }
    assert_eq!(ok, 200);
    assert_eq!(emu.counters().api_requests, 200);
}

#[tokio::test]
async fn malformed_input_gets_400_and_server_survives() {
    let emu = start().await;
    for junk in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /api/v2/users/me HTTP/1.1\r\nbad header line\r\n\r\n",
        b"POST /oauth/token HTTP/1.1\r\ncontent-length: abc\r\n\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",
    ] {
        let mut s = TcpStream::connect(("127.0.0.1", emu.port())).await.unwrap();
        s.write_all(junk).await.unwrap();
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), s.read_to_end(&mut out)).await;
        let text = String::from_utf8_lossy(&out);
        assert!(out.is_empty() || text.starts_with("HTTP/1.1 400"), "{text}");
    }
    // a path with odd bytes and a bad query is just a 401/404, never a panic
    let r = get(&emu, "/api/v2/users/%FF%FE?pageSize=%ZZ", None).await;
    assert_eq!(r.status, 401);
    let r = get(&emu, "/oauth/authorize?%%%", None).await;
    assert_eq!(r.status, 400);
    assert_eq!(get(&emu, "/health", None).await.status, 200);
}

#[tokio::test]
async fn drop_and_shutdown_stop_the_server() {
    let emu = start().await;
    let port = emu.port();
    // an idle keep-alive connection is closed too
    let mut idle = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    assert_eq!(exchange(&mut idle, "GET", "/health", &[], b"").await.unwrap().status, 200);
    emu.shutdown().await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
    let mut buf = [0u8; 1];
    let n = tokio::time::timeout(Duration::from_secs(2), idle.read(&mut buf)).await.unwrap();
    assert!(matches!(n, Ok(0) | Err(_)));

    let emu = start().await;
    let port = emu.port();
    drop(emu);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
}

#[tokio::test]
async fn chosen_port() {
    // find a free port, then ask for it
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let emu = Emulator::start(EmulatorOptions { port, ..Default::default() }).await.unwrap();
    assert_eq!(emu.port(), port);
    assert_eq!(emu.base_url(), format!("http://127.0.0.1:{port}"));
    // the port is taken now
    assert!(Emulator::start(EmulatorOptions { port, ..Default::default() }).await.is_err());
}

#[tokio::test]
async fn binary_prints_url_and_serves() {
    let exe = env!("CARGO_BIN_EXE_purecore-emulator");
    let dir = std::env::temp_dir().join(format!("purecore-emu-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_path = dir.join("ca.pem");
    let mut child = tokio::process::Command::new(exe)
        .args(["--port", "0", "--tls", "--token-lifetime", "5", "--ca-out"])
        .arg(&ca_path)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await.unwrap().unwrap().unwrap();
    let url = line.strip_prefix("purecore-emulator listening on ").unwrap();
    assert!(url.starts_with("https://127.0.0.1:"), "{line}");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let ca = std::fs::read_to_string(&ca_path).unwrap();
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut tls = tls_connector(&ca).connect(ServerName::try_from("localhost").unwrap(), tcp).await.unwrap();
    let body = form(&[("grant_type", "client_credentials")]);
    let auth = basic(creds::CLIENT_ID, creds::CLIENT_SECRET);
    let r = exchange(
        &mut tls,
        "POST",
        "/oauth/token",
        &[("content-type", "application/x-www-form-urlencoded"), ("authorization", &auth)],
        body.as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(r.json()["expires_in"], 5);
    child.kill().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let out = tokio::process::Command::new(exe).arg("--bogus").output().await.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
}
