//! The HTTP clients: hyper over rustls with the Mozilla and system roots
//! plus optional extra CAs and a client certificate, proxies, timeouts; one
//! connection pool per set of transport settings for async callers, and one
//! per thread for blocking callers.

mod http;
pub(crate) mod local;
#[cfg(test)]
pub(crate) mod scripted;

pub use http::HttpClient;
pub(crate) use http::{BodyLimits, Reply, SendError, Stage};

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::{Config, ProxyConfig, TlsConfig};
use crate::error::{Error, Result};

/// The User-Agent every request carries: `purecore/<version> (<host language>) [suffix]`.
pub fn user_agent(host_language: &str, suffix: Option<&str>) -> String {
    let lang = if host_language.trim().is_empty() { "rust" } else { host_language.trim() };
    let base = format!("purecore/{} ({lang})", env!("CARGO_PKG_VERSION"));
    match suffix {
        Some(s) if !s.trim().is_empty() => format!("{base} {}", s.trim()),
        _ => base,
    }
}

/// Checks the configured CA and client certificates (PEM, usable, key fits
/// the certificate), so bad material is reported when set, not at the first
/// request. Cheap: the system roots are not read.
pub fn check_tls(config: &Config) -> Result<()> {
    tls_with_roots(&config.tls, rustls::RootCertStore::empty()).map(|_| ())
}

fn extra_roots(tls: &TlsConfig) -> Result<Vec<CertificateDer<'static>>> {
    let mut all = Vec::new();
    for pem in &tls.extra_ca_pem {
        let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::configuration(format!("custom CA is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(Error::configuration("custom CA PEM holds no certificate"));
        }
        all.extend(certs);
    }
    Ok(all)
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

fn identity(tls: &TlsConfig) -> Result<Option<Identity>> {
    let (Some(cert), Some(key)) = (tls.client_cert_pem.as_ref(), tls.client_key_pem.as_ref()) else {
        return Ok(None);
    };
    let bad =
        |what: &str, e: &dyn std::fmt::Display| Error::configuration(format!("client {what} is not valid PEM: {e}"));
    let certs = CertificateDer::pem_slice_iter(cert.as_bytes())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| bad("certificate", &e))?;
    if certs.is_empty() {
        return Err(Error::configuration("client certificate PEM holds no certificate"));
    }
    // The key's error never quotes the key.
    let key = PrivateKeyDer::from_pem_slice(key.expose().as_bytes()).map_err(|_| {
        Error::configuration("client key is not valid PEM: expected a PKCS#8, PKCS#1 or SEC1 private key")
    })?;
    Ok(Some((certs, key)))
}

/// Roots handed over by [`add_base_roots`]; `None` once [`base_roots`] has read them.
static ADDED_ROOTS: Mutex<Option<Vec<CertificateDer<'static>>>> = Mutex::new(Some(Vec::new()));

/// Adds roots that every client trusts, as it trusts the Mozilla roots and the system's:
/// a host with its own copy of the Mozilla roots hands it over here (the Node addon, built
/// without the `bundled-roots` feature, hands over Node's `tls.rootCertificates`). Each
/// PEM string may hold several certificates. Only before the first connection of the
/// process (the roots are put together once); returns how many certificates were added.
pub fn add_base_roots(pems: &[String]) -> Result<usize> {
    let mut certs = Vec::new();
    for pem in pems {
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            certs.push(cert.map_err(|e| Error::configuration(format!("a root certificate is not valid PEM: {e}")))?);
        }
    }
    let n = certs.len();
    let mut added = ADDED_ROOTS.lock().unwrap_or_else(|e| e.into_inner());
    match added.as_mut() {
        Some(all) => all.extend(certs),
        None => return Err(Error::configuration("base roots must be added before the first connection")),
    }
    Ok(n)
}

/// The Mozilla roots (built in with the `bundled-roots` feature, or handed over with
/// [`add_base_roots`]) plus the system's, put together once per process (reading the system
/// store takes tens of milliseconds).
fn base_roots() -> &'static rustls::RootCertStore {
    static ROOTS: OnceLock<rustls::RootCertStore> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut roots = rustls::RootCertStore::empty();
        #[cfg(feature = "bundled-roots")]
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let added = ADDED_ROOTS.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
        // Unusable handed-over or system certificates are skipped, as browsers do.
        roots.add_parsable_certificates(added);
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        roots
    })
}

/// Checks a header name and value (kept here for callers of `transport::check_header`).
pub use crate::request::check_header;

/// The TLS settings every connection of a configuration uses: verification
/// always on, the base roots plus any extra CA, and the client certificate.
pub fn tls_config(config: &Config) -> Result<rustls::ClientConfig> {
    tls_with_roots(&config.tls, base_roots().clone())
}

fn tls_with_roots(settings: &TlsConfig, mut roots: rustls::RootCertStore) -> Result<rustls::ClientConfig> {
    for cert in extra_roots(settings)? {
        roots.add(cert).map_err(|e| Error::configuration(format!("custom CA certificate is not usable: {e}")))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("cannot set up TLS: {e}")))?;
    let builder = if settings.skip_verify {
        versions.dangerous().with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
    } else {
        versions.with_root_certificates(roots)
    };
    let mut tls = match identity(settings)? {
        Some((certs, key)) => builder
            .with_client_auth_cert(certs, key)
            .map_err(|e| Error::configuration(format!("client certificate and key do not fit together: {e}")))?,
        None => builder.with_no_client_auth(),
    };
    tls.alpn_protocols =
        if cfg!(feature = "http2") { vec![b"h2".to_vec(), b"http/1.1".to_vec()] } else { vec![b"http/1.1".to_vec()] };
    Ok(tls)
}

/// The verifier of `TlsConfig::skip_verify`: any certificate is accepted, but the
/// handshake's signatures are still checked with the provider's algorithms.
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &rustls_pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls_pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn http_client(config: &TransportSettings, tls: Arc<rustls::ClientConfig>) -> Result<HttpClient> {
    let ua = user_agent(&config.host_language, config.user_agent_suffix.as_deref());
    let user_agent = hyper::http::HeaderValue::from_str(&ua)
        .map_err(|_| Error::configuration("the User-Agent suffix has characters a header cannot carry"))?;
    Ok(HttpClient::new(http::Settings {
        tls,
        connect_timeout: config.connect_timeout,
        user_agent,
        proxies: proxies(config)?,
    }))
}

/// The explicit proxy (bypassed for hosts in `NO_PROXY`), or else the
/// environment's `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY`.
///
/// A proxy variable that is set but not a usable `http://` or `https://` proxy
/// URL is a `configuration` error (at the first request, when the HTTP client is
/// built) naming the variable and its value with any credentials removed:
/// traffic never silently goes direct. `NO_PROXY=*` turns proxies off, as curl
/// has it.
fn proxies(config: &TransportSettings) -> Result<Option<http::Proxies>> {
    use hyper_util::client::proxy::matcher::Matcher;
    let no_proxy = env_first(&["NO_PROXY", "no_proxy"])?.unwrap_or_default();
    let bypass_all = no_proxy.split(',').any(|p| p.trim() == "*");
    let Some(p) = &config.proxy else {
        // In a CGI program HTTP_PROXY may come from a request header (httpoxy):
        // the environment's proxies are not used there, as in curl and hyper.
        if std::env::var_os("REQUEST_METHOD").is_some() {
            return Ok(None);
        }
        let http = env_proxy(&["HTTP_PROXY", "http_proxy"])?;
        let https = env_proxy(&["HTTPS_PROXY", "https_proxy"])?;
        let all = env_proxy(&["ALL_PROXY", "all_proxy"])?;
        if http.is_none() && https.is_none() && all.is_none() {
            return Ok(None);
        }
        let matcher = Matcher::builder()
            .http(http.unwrap_or_default())
            .https(https.unwrap_or_default())
            .all(all.unwrap_or_default())
            .no(no_proxy)
            .build();
        return Ok(Some(http::Proxies::new(matcher, None, bypass_all)));
    };
    crate::config::check_proxy_url(&p.url)?;
    let matcher = Matcher::builder().all(p.url.as_str()).no(no_proxy).build();
    let auth = match &p.username {
        Some(user) => {
            use base64::Engine;
            let pass = p.password.as_ref().map(|s| s.expose()).unwrap_or("");
            let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
            let mut v = hyper::http::HeaderValue::from_str(&format!("Basic {token}"))
                .map_err(|_| Error::configuration("the proxy credentials cannot be sent in a header"))?;
            v.set_sensitive(true);
            Some(v)
        }
        None => None,
    };
    Ok(Some(http::Proxies::new(matcher, auth, bypass_all)))
}

/// The value of the first of `names` that is set, trimmed.
fn env_first(names: &[&str]) -> Result<Option<String>> {
    for name in names {
        match std::env::var(name) {
            Ok(v) => return Ok(Some(v.trim().to_owned())),
            Err(std::env::VarError::NotPresent) => {}
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::configuration(format!("the {name} environment variable is not valid UTF-8")))
            }
        }
    }
    Ok(None)
}

/// The proxy URL of the first of `names` that is set (an empty one means none),
/// checked: a value the transport cannot use is an error naming the variable.
fn env_proxy(names: &[&str]) -> Result<Option<String>> {
    let Some(name) = names.iter().find(|n| std::env::var_os(n).is_some()) else {
        return Ok(None);
    };
    let Some(value) = env_first(&[name])?.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    Ok(Some(check_env_proxy(name, &value)?))
}

/// A proxy URL from the environment: `http://` or `https://` with a host (a
/// value without a scheme is `http://`, as in curl), which hyper's matcher reads
/// the same way. Returns it with its scheme.
fn check_env_proxy(name: &str, value: &str) -> Result<String> {
    let shown = crate::logging::redact::proxy_url(value);
    let bad = |why: String| {
        Error::configuration(format!("the {name} environment variable is not a usable proxy URL ('{shown}'): {why}"))
    };
    let full = if value.contains("://") { value.to_owned() } else { format!("http://{value}") };
    crate::environment::ascii_host(&full).map_err(bad)?;
    // The parser's messages never quote the input.
    let parsed = url::Url::parse(&full).map_err(|e| bad(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!("{} proxies are not supported (use an http:// or https:// proxy)", parsed.scheme())));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host".into()));
    }
    let probe = hyper::http::Uri::from_static("http://purecore-proxy-probe.invalid/");
    let matcher = hyper_util::client::proxy::matcher::Matcher::builder().all(full.as_str()).build();
    if matcher.intercept(&probe).is_none() {
        return Err(bad("it is not of the form http://[user:password@]host[:port]".into()));
    }
    Ok(full)
}

/// Every setting the HTTP clients are made from, as one comparable value:
/// clients whose settings are equal share their connections, and a change to
/// any of these makes new clients. The transport reads its settings only from
/// here, so a new transport setting cannot be missed by that comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TransportSettings {
    pub tls: TlsConfig,
    pub proxy: Option<ProxyConfig>,
    pub connect_timeout: Duration,
    pub user_agent_suffix: Option<String>,
    pub host_language: String,
}

impl TransportSettings {
    pub(crate) fn of(config: &Config) -> TransportSettings {
        TransportSettings {
            tls: config.tls.clone(),
            proxy: config.proxy.clone(),
            connect_timeout: config.connect_timeout,
            user_agent_suffix: config.user_agent_suffix.clone(),
            host_language: config.host_language.clone(),
        }
    }
}

/// One request as the engine hands it to the transport.
pub(crate) struct Outgoing<'a> {
    pub method: &'a str,
    pub url: &'a url::Url,
    pub headers: &'a [(String, String)],
    pub body: Option<Bytes>,
    pub timeout: Duration,
    pub limits: BodyLimits,
}

/// What [`HttpSend::send`] returns.
pub(crate) type SendFuture<'a> = Pin<Box<dyn Future<Output = std::result::Result<Reply, SendError>> + Send + 'a>>;

/// Sends one request and reads its whole reply: the only thing the request
/// engine needs of the network. [`Transport`] sends over hyper; tests put a
/// scripted server in its place to check the retry and refresh rules without
/// sockets.
pub(crate) trait HttpSend: Send + Sync {
    fn send<'a>(&'a self, req: Outgoing<'a>) -> SendFuture<'a>;
}

/// The HTTP clients of one set of transport settings: one shared by async
/// callers (its connections belong to the multi-threaded runtime they were
/// made on), and one per thread for blocking callers (see [`crate::blocking`]),
/// all built on first use from TLS settings made once.
pub(crate) struct Transport {
    settings: TransportSettings,
    tls: OnceLock<Arc<rustls::ClientConfig>>,
    shared: OnceLock<HttpClient>,
    /// This transport's identity in the per-thread pools (see [`local`]).
    key: Arc<()>,
}

impl Transport {
    pub(crate) fn new(config: &Config) -> Result<Arc<Transport>> {
        check_tls(config)?;
        Ok(Arc::new(Transport {
            settings: TransportSettings::of(config),
            tls: OnceLock::new(),
            shared: OnceLock::new(),
            key: Arc::new(()),
        }))
    }

    fn build(&self) -> Result<HttpClient> {
        let tls = match self.tls.get() {
            Some(t) => t.clone(),
            None => {
                let made = Arc::new(tls_with_roots(&self.settings.tls, base_roots().clone())?);
                self.tls.get_or_init(|| made).clone()
            }
        };
        http_client(&self.settings, tls)
    }

    /// The client for a request made from the current thread.
    pub(crate) fn client(&self) -> Result<HttpClient> {
        if local::on_local_runtime() {
            return local::client(&self.key, || self.build());
        }
        if let Some(c) = self.shared.get() {
            return Ok(c.clone());
        }
        let built = self.build()?;
        Ok(self.shared.get_or_init(|| built).clone())
    }
}

impl HttpSend for Transport {
    fn send<'a>(&'a self, req: Outgoing<'a>) -> SendFuture<'a> {
        Box::pin(async move {
            let http = self.client().map_err(SendError::Unusable)?;
            http.send(req.method, req.url, req.headers, req.body, req.timeout, req.limits).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_proxy_values() {
        for (value, usable) in [
            ("proxy.corp", "http://proxy.corp"),
            ("proxy.corp:3128", "http://proxy.corp:3128"),
            ("user:pw@proxy.corp:3128", "http://user:pw@proxy.corp:3128"),
            ("https://proxy.corp", "https://proxy.corp"),
            ("http://[::1]:3128/", "http://[::1]:3128/"),
            ("HTTP://Proxy.Corp:3128", "HTTP://Proxy.Corp:3128"),
        ] {
            assert_eq!(check_env_proxy("HTTP_PROXY", value).unwrap(), usable);
        }
        for bad in ["http://", "socks5://proxy:1080", "http://a b:1", "http://proxy:99999", "://x", "http://h\u{e9}:1"]
        {
            let err = check_env_proxy("HTTPS_PROXY", bad).unwrap_err();
            assert_eq!(err.kind(), crate::error::ErrorKind::Configuration);
            assert!(err.message().starts_with("the HTTPS_PROXY environment variable"), "{}", err.message());
        }
    }
}
