//! Environments, TLS, gateway, proxy, headers and the error model over real TCP.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use purecore::{Client, Config, Environment, ErrorKind, Gateway, Request};

// scenario: transport.tls
#[tokio::test]
async fn https_with_a_custom_ca() {
    let emu = Emulator::start(EmulatorOptions { tls: true, ..Default::default() }).await.unwrap();
    assert!(emu.base_url().starts_with("https://"));
    let mut cfg = config_for(&emu);
    cfg.tls.extra_ca_pem.push(emu.ca_pem().unwrap());
    let client = Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();

    // Without the CA the server is not trusted, and nothing is retried into success.
    let mut untrusted = config_for(&emu);
    untrusted.retry.max_retries = 0;
    let err = Client::new(untrusted)
        .unwrap()
        .login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(err.message().to_lowercase().contains("certificate"), "{err}");
}

#[tokio::test]
async fn plain_http_is_only_for_loopback() {
    let cfg = Config {
        environment: Environment::custom("http://api.example.com", "http://login.example.com").unwrap(),
        ..Default::default()
    };
    let err = Client::new(cfg.clone()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.message().contains("plain http"), "{err}");
    Client::new(Config { allow_insecure_http: true, live_reload_config: false, ..cfg }).unwrap();
}

// scenario: transport.gateway_proxy
#[tokio::test]
async fn gateway_prefixes_reach_the_server() {
    let emu = emulator().await;
    let port = emu.port();
    let mut cfg = config_for(&emu);
    let mut gw = Gateway::new("127.0.0.1");
    gw.protocol = "http".into();
    gw.port = Some(port);
    gw.path_params_login = "gw/login".into();
    gw.path_params_api = "gw/api".into();
    cfg.gateway = Some(gw);
    let client = Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    let reqs = emu.requests();
    assert_eq!(reqs[0].path, "/gw/login/oauth/token");
    assert_eq!(reqs[1].path, "/gw/api/api/v2/users/me");
}

#[tokio::test]
async fn headers_user_agent_and_extended_response() {
    let (emu, client) = logged_in().await;
    client
        .update_config(|c| {
            c.default_headers = vec![("X-App".into(), "demo".into()), ("X-Both".into(), "default".into())]
        })
        .unwrap();
    let resp = client
        .request(Request::get("/api/v2/users/me").header("X-Both", "call").query("expand", "presence"))
        .await
        .unwrap();
    let r = emu.requests().pop().unwrap();
    let h = |n: &str| r.headers.iter().filter(|(k, _)| k == n).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    assert_eq!(h("x-app"), vec!["demo"]);
    assert_eq!(h("x-both"), vec!["call"], "per-call headers override defaults");
    assert!(
        h("user-agent")[0].starts_with("purecore/") && h("user-agent")[0].contains("(rust)"),
        "{:?}",
        h("user-agent")
    );
    assert_eq!(r.query, "expand=presence");
    assert_eq!(resp.status, 200);
    assert_eq!(resp.status_text, "OK");
    assert!(resp.correlation_id.is_some());
    let rl = resp.rate_limit.unwrap();
    assert!(rl.allowed.is_some() && rl.count.is_some());
    assert!(resp.json_value().unwrap()["presence"].is_object());

    let err = client.request(Request::get("/api/v2/users/me").header("Bad Header", "x")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let err = client.request(Request::get("https://elsewhere.example/api")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

// scenario: transport.gateway_proxy
#[tokio::test]
async fn a_proxy_with_credentials_is_used() {
    // The emulator answers absolute-form requests, so it can stand in for the proxy.
    let emu = emulator().await;
    let base = "http://purecore-proxy-test.localhost:9";
    let mut cfg = config_for(&emu);
    cfg.environment = Environment::custom(base, base).unwrap();
    cfg.proxy = Some(purecore::ProxyConfig {
        url: emu.base_url(),
        username: Some("proxyuser".into()),
        password: Some("proxy-pass".into()),
    });
    let client = Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    let r = &emu.requests()[0];
    let auth = r.headers.iter().find(|(k, _)| k == "proxy-authorization").map(|(_, v)| v.clone());
    use base64::Engine;
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("proxyuser:proxy-pass"));
    assert_eq!(auth.as_deref(), Some(expected.as_str()));
    assert!(!format!("{:?}", client.config()).contains("proxy-pass"), "Debug output hides the proxy password");
}

type Heads = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A TLS server setup for `localhost` with a self-signed certificate, and that
/// certificate as the CA a client must trust.
fn localhost_tls() -> (rustls::ServerConfig, String) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let key = rustls_pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let config =
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .unwrap();
    (config, cert.cert.pem())
}

/// A minimal tunnelling proxy on 127.0.0.1: it records each CONNECT request's
/// head, opens the tunnel and relays bytes both ways.
async fn connect_proxy() -> (String, Heads) {
    let (url, heads, _) = tunnel_proxy(false).await;
    (url, heads)
}

/// The same proxy, spoken to over plain TCP or over TLS (then as
/// `https://localhost:PORT`, with the returned CA).
async fn tunnel_proxy(tls: bool) -> (String, Heads, Option<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Heads::default();
    let seen = heads.clone();
    let (acceptor, ca, url) = if tls {
        let (config, ca) = localhost_tls();
        let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
        (Some(acceptor), Some(ca), format!("https://localhost:{port}"))
    } else {
        (None, None, format!("http://127.0.0.1:{port}"))
    };
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (seen, acceptor) = (seen.clone(), acceptor.clone());
            tokio::spawn(async move {
                match acceptor {
                    Some(a) => {
                        if let Ok(tls) = a.accept(tcp).await {
                            relay(tls, seen).await;
                        }
                    }
                    None => relay(tcp, seen).await,
                }
            });
        }
    });
    (url, heads, ca)
}

async fn relay<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut inbound: S, seen: Heads) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if inbound.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let target = head.split_whitespace().nth(1).unwrap().to_owned();
    seen.lock().unwrap().push(head);
    let mut outbound = tokio::net::TcpStream::connect(target).await.unwrap();
    inbound.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.unwrap();
    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
}

// scenario: transport.http2_connect
#[tokio::test]
async fn https_through_a_proxy_spoken_to_over_tls() {
    let emu = Emulator::start(EmulatorOptions { tls: true, ..Default::default() }).await.unwrap();
    let (proxy_url, heads, proxy_ca) = tunnel_proxy(true).await;
    let mut cfg = config_for(&emu);
    cfg.tls.extra_ca_pem.push(emu.ca_pem().unwrap());
    cfg.proxy = Some(purecore::ProxyConfig { url: proxy_url.clone(), username: None, password: None });
    // Without the proxy's CA its certificate is not trusted: nothing goes through it.
    let untrusting = Client::new(cfg.clone()).unwrap();
    let err = untrusting.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(heads.lock().unwrap().is_empty());
    cfg.tls.extra_ca_pem.push(proxy_ca.unwrap());
    let client = Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    assert_eq!(client.request(Request::get("/api/v2/users/me")).await.unwrap().status, 200);
    assert!(!heads.lock().unwrap().is_empty(), "the requests went through {proxy_url}");
}

// scenario: transport.http2_connect
#[tokio::test]
async fn https_through_a_proxy_tunnel_with_credentials() {
    let emu = Emulator::start(EmulatorOptions { tls: true, ..Default::default() }).await.unwrap();
    let (proxy_url, heads) = connect_proxy().await;
    let mut cfg = config_for(&emu);
    cfg.tls.extra_ca_pem.push(emu.ca_pem().unwrap());
    cfg.proxy = Some(purecore::ProxyConfig {
        url: proxy_url,
        username: Some("proxyuser".into()),
        password: Some("proxy-pass".into()),
    });
    let client = Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    let heads = heads.lock().unwrap().clone();
    assert!(!heads.is_empty(), "the requests went through the proxy");
    let authority = emu.base_url().trim_start_matches("https://").trim_end_matches('/').to_owned();
    use base64::Engine;
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("proxyuser:proxy-pass"));
    for head in &heads {
        assert!(head.starts_with(&format!("CONNECT {authority} HTTP/1.1\r\n")), "{head}");
        assert!(head.to_lowercase().contains(&format!("proxy-authorization: {}", auth.to_lowercase())), "{head}");
    }
    // The proxy only saw the tunnel's head: the API requests themselves stayed inside TLS.
    assert_eq!(emu.requests().len(), 2);
}

/// An HTTPS server that offers the ALPN protocols `alpn`, speaks HTTP/2 when
/// `h2` is true and HTTP/1.1 otherwise, and answers every request with its
/// protocol version; returns its URL and CA.
async fn versioned_server(alpn: &[&[u8]], h2: bool) -> (String, String) {
    use hyper::service::service_fn;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    let (mut tls, ca) = localhost_tls();
    tls.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(tls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://localhost:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(tcp).await else { return };
                let svc = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                    let body = format!("{{\"version\":\"{:?}\"}}", req.version());
                    let mut resp = hyper::Response::new(http_body_util::Full::new(bytes::Bytes::from(body)));
                    resp.headers_mut().insert("content-type", "application/json".parse().unwrap());
                    Ok::<_, std::convert::Infallible>(resp)
                });
                let io = TokioIo::new(stream);
                let _ = if h2 {
                    hyper::server::conn::http2::Builder::new(TokioExecutor::new()).serve_connection(io, svc).await
                } else {
                    hyper::server::conn::http1::Builder::new().serve_connection(io, svc).await
                };
            });
        }
    });
    (url, ca)
}

/// The protocol version a request to `url` (trusting `ca`) was served with.
async fn served_version(url: &str, ca: String) -> String {
    let mut cfg =
        Config { environment: Environment::custom(url, url).unwrap(), live_reload_config: false, ..Config::default() };
    cfg.tls.extra_ca_pem.push(ca);
    let client = Client::new(cfg).unwrap();
    let resp = client.request(Request::get("/api/v2/anything").without_auth()).await.unwrap();
    resp.json_value().unwrap()["version"].as_str().unwrap().to_owned()
}

// scenario: transport.http2_connect
#[cfg(feature = "http2")]
#[tokio::test]
async fn http2_when_the_server_offers_it() {
    let (url, ca) = versioned_server(&[b"h2"], true).await;
    assert_eq!(served_version(&url, ca).await, "HTTP/2.0");
}

/// Without the `http2` feature (the Node addon's build) the client offers only
/// http/1.1, so a server that would prefer h2 speaks HTTP/1.1 with it.
// scenario: transport.http2_connect
#[cfg(not(feature = "http2"))]
#[tokio::test]
async fn http1_only_without_the_http2_feature() {
    let (url, ca) = versioned_server(&[b"h2", b"http/1.1"], false).await;
    assert_eq!(served_version(&url, ca).await, "HTTP/1.1");
}

// scenario: errors.non_json
#[tokio::test]
async fn error_bodies_that_are_not_json_keep_their_text() {
    let (emu, client) = logged_in().await;
    client.update_config(|c| c.retry.max_retries = 0).unwrap();
    emu.push_fault(Fault {
        kind: FaultKind::Status {
            status: 502,
            retry_after: None,
            body: Some("<html><body>Bad gateway from proxy</body></html>".into()),
            content_type: Some("text/html".into()),
        },
        ..status_fault(502, 1)
    });
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus);
    assert_eq!(err.status(), Some(502));
    assert!(err.message().contains("Bad gateway from proxy"), "{err}");
    assert_eq!(err.response().unwrap().text(), "<html><body>Bad gateway from proxy</body></html>");
    assert!(err.correlation_id().is_some());

    emu.push_fault(Fault {
        kind: FaultKind::Status {
            status: 500,
            retry_after: None,
            body: Some(String::new()),
            content_type: Some("text/plain".into()),
        },
        ..status_fault(500, 1)
    });
    let err = client.request(Request::get("/api/v2/users/me")).await.unwrap_err();
    assert!(err.message().contains("empty body"), "{err}");

    let err = client.request(Request::get("/api/v2/users/00000000-0000-0000-0000-00000000dead")).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("not.found"));
}

// scenario: bad_input
#[test]
fn bad_settings_are_configuration_errors() {
    let err = Environment::parse("moon_base_1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    let err = Client::new(Config { timeout: Duration::ZERO, ..Default::default() }).unwrap_err();
    assert!(err.message().contains("timeout"), "{err}");
    let err = Client::new(Config {
        proxy: Some(purecore::ProxyConfig { url: "not a url".into(), username: None, password: None }),
        ..Default::default()
    })
    .unwrap_err();
    assert!(err.message().contains("proxy"), "{err}");
    let err = Client::new(Config {
        proxy: Some(purecore::ProxyConfig { url: "socks5://127.0.0.1:1080".into(), username: None, password: None }),
        ..Default::default()
    })
    .unwrap_err();
    assert!(
        err.message().contains("must be http://host:port or https://host:port"),
        "socks is refused when set: {err}"
    );
    let err = Client::new(Config {
        proxy: Some(purecore::ProxyConfig { url: "http://prøxy.example:3128".into(), username: None, password: None }),
        ..Default::default()
    })
    .unwrap_err();
    assert!(err.message().contains("not ASCII") && err.message().contains("xn--"), "{err}");
    let mut bad_ca = Config::default();
    bad_ca.tls.extra_ca_pem.push("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".into());
    let err = Client::new(bad_ca).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration, "bad PEM is reported when set, not at the first call");
    let client = Client::new(Config { live_reload_config: false, ..Default::default() }).unwrap();
    assert!(client.set_environment("atlantis").is_err());
    assert_eq!(client.environment().api_base().as_str(), "https://api.mypurecloud.com/", "unchanged after a bad value");
    client.set_environment("eu_central_2").unwrap();
    assert_eq!(client.environment().login_base().as_str(), "https://login.euc2.pure.cloud/");
}

// scenario: transport.mtls
#[tokio::test]
async fn mutual_tls_with_a_client_certificate() {
    let emu = Emulator::start(EmulatorOptions { require_client_cert: true, ..Default::default() }).await.unwrap();
    let id = emu.client_identity().unwrap();
    let mut cfg = config_for(&emu);
    cfg.tls.extra_ca_pem.push(emu.ca_pem().unwrap());
    cfg.tls.client_cert_pem = Some(id.cert_pem.clone());
    cfg.tls.client_key_pem = Some(id.key_pem.clone().into());
    let client = Client::new(cfg.clone()).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert!(!format!("{:?}", client.config()).contains("PRIVATE KEY"), "Debug output hides the key");

    // A key that is not the certificate's is refused when set, not at the first request.
    let mut mismatched = cfg.clone();
    let other = rcgen::generate_simple_self_signed(vec!["other".to_owned()]).unwrap();
    mismatched.tls.client_key_pem = Some(other.signing_key.serialize_pem().into());
    let err = Client::new(mismatched).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration, "{err}");

    // The server refuses a client that presents no certificate.
    cfg.tls.client_cert_pem = None;
    cfg.tls.client_key_pem = None;
    cfg.retry.max_retries = 0;
    let err =
        Client::new(cfg).unwrap().login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
}

/// Run as a child process by the test below, with proxy variables in its environment.
#[test]
fn child_login_through_environment_proxy() {
    if std::env::var_os("PURECORE_CHILD_PROXY_TEST").is_none() {
        return; // only meaningful as a child of the test below
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let base = "http://purecore-env-proxy.localhost:9";
    let client = Client::new(Config {
        environment: Environment::custom(base, base).unwrap(),
        retry: purecore::RetryConfig { max_retries: 0, ..Default::default() },
        live_reload_config: false,
        ..Default::default()
    })
    .unwrap();
    rt.block_on(client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET)).unwrap();
}

// scenario: transport.gateway_proxy
#[tokio::test]
async fn http_proxy_and_no_proxy_from_the_environment() {
    let emu = emulator().await;
    let run_child = |extra: Vec<(&'static str, String)>| {
        let exe = std::env::current_exe().unwrap();
        let mut cmd = std::process::Command::new(exe);
        cmd.args(["--exact", "child_login_through_environment_proxy", "--test-threads=1"])
            .env("PURECORE_CHILD_PROXY_TEST", "1")
            .env("HTTP_PROXY", emu.base_url())
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd
    };
    let mut proxied = run_child(vec![]);
    let status = tokio::task::spawn_blocking(move || proxied.status().unwrap()).await.unwrap();
    assert!(status.success(), "the login went through HTTP_PROXY");
    let via_proxy = token_requests(&emu);
    assert_eq!(via_proxy.len(), 1);
    let host = via_proxy[0].headers.iter().find(|(k, _)| k == "host").map(|(_, v)| v.as_str());
    assert_eq!(host, Some("purecore-env-proxy.localhost:9"));

    let mut bypassed = run_child(vec![("NO_PROXY", "purecore-env-proxy.localhost".into())]);
    let status = tokio::task::spawn_blocking(move || bypassed.status().unwrap()).await.unwrap();
    assert!(!status.success(), "with NO_PROXY the client connects directly, to a port where nothing listens");
    assert_eq!(token_requests(&emu).len(), 1, "nothing more reached the proxy");
}

/// Turning certificate checks off is explicit, works against a server the client does not
/// trust, and is logged at error level even when logging is off.
#[tokio::test]
async fn skipping_certificate_checks_is_explicit_and_loud() {
    let emu = Emulator::start(EmulatorOptions { tls: true, ..Default::default() }).await.unwrap();
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = lines.clone();
    let mut cfg = config_for(&emu);
    cfg.retry.max_retries = 0;
    cfg.logging.log_to_console = false;
    cfg.logging.sink = Some(Arc::new(move |_, line: &str| sink.lock().unwrap().push(line.to_owned())));
    let checked = Client::new(cfg.clone()).unwrap();
    let err = checked.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "verification is on by default: {err}");
    assert!(lines.lock().unwrap().is_empty(), "nothing logged at level none: {:?}", lines.lock().unwrap());

    cfg.tls.skip_verify = true;
    let unchecked = Client::new(cfg).unwrap();
    unchecked.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    unchecked.request(Request::get("/api/v2/users/me")).await.unwrap();
    let logged = lines.lock().unwrap().clone();
    assert_eq!(logged.len(), 1, "one warning per client: {logged:?}");
    assert!(logged[0].contains("ERROR") && logged[0].contains("verification is OFF"), "{logged:?}");
}
