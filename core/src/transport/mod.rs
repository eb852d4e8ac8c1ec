//! The HTTP client: one reqwest client per configuration (connection reuse),
//! rustls with the system and Mozilla roots plus optional extra CAs and a
//! client certificate, proxies, timeouts.

pub mod retry;

use crate::config::Config;
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

/// Checks a header name and value (RFC 7230 token name, no CR/LF in the value).
pub fn check_header(name: &str, value: &str) -> Result<()> {
    reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_argument(format!("'{name}' is not a valid header name")))?;
    reqwest::header::HeaderValue::from_str(value).map_err(|_| {
        Error::invalid_argument(format!("the value of header '{name}' has characters a header cannot carry"))
    })?;
    Ok(())
}

/// Parses the configured CA and client certificates, so bad PEM is reported
/// when set, not at the first request.
pub fn check_tls(config: &Config) -> Result<()> {
    for pem in &config.tls.extra_ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| Error::configuration(format!("custom CA is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(Error::configuration("custom CA PEM holds no certificate"));
        }
    }
    if let Some(pem) = identity_pem(config) {
        reqwest::Identity::from_pem(&pem)
            .map_err(|e| Error::configuration(format!("client certificate or key is not valid PEM: {e}")))?;
    }
    Ok(())
}

fn identity_pem(config: &Config) -> Option<Vec<u8>> {
    let (cert, key) = (config.tls.client_cert_pem.as_ref()?, config.tls.client_key_pem.as_ref()?);
    let mut pem = cert.clone().into_bytes();
    pem.push(b'\n');
    pem.extend_from_slice(key.expose().as_bytes());
    Some(pem)
}

/// Builds the HTTP client for a configuration.
pub fn build_http_client(config: &Config) -> Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .user_agent(user_agent(&config.host_language, config.user_agent_suffix.as_deref()))
        .connect_timeout(config.connect_timeout)
        .pool_idle_timeout(std::time::Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .https_only(false);
    for pem in &config.tls.extra_ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| Error::configuration(format!("custom CA is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(Error::configuration("custom CA PEM holds no certificate"));
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    if let Some(pem) = identity_pem(config) {
        let id = reqwest::Identity::from_pem(&pem)
            .map_err(|e| Error::configuration(format!("client certificate or key is not valid PEM: {e}")))?;
        b = b.identity(id);
    }
    if let Some(p) = &config.proxy {
        let mut proxy = reqwest::Proxy::all(&p.url)
            .map_err(|e| Error::configuration(format!("proxy URL '{}' is not usable: {e}", p.url)))?;
        if let Some(user) = &p.username {
            let pass = p.password.as_ref().map(|s| s.expose()).unwrap_or("");
            proxy = proxy.basic_auth(user, pass);
        }
        proxy = proxy.no_proxy(reqwest::NoProxy::from_env());
        b = b.proxy(proxy);
    }
    // Without an explicit proxy reqwest reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY itself.
    b.build().map_err(|e| Error::configuration(format!("cannot build the HTTP client: {e}")))
}
