//! Genesys Cloud regions and the API/login base URLs derived from them.
//!
//! [`Environment::parse`] accepts a region name (`eu_west_1`, `eu-west-1`), a
//! domain (`mypurecloud.ie`), an `api.`/`login.` host, or a full URL with or
//! without a trailing slash. [`Environment::custom`] takes both bases
//! explicitly (the local emulator is one such), and [`Gateway`] routes every
//! call through a gateway with path prefixes.

use url::Url;

use crate::error::{Error, Result};

/// Every Genesys Cloud region: `(name, domain)`.
pub const REGIONS: [(&str, &str); 18] = [
    ("us_east_1", "mypurecloud.com"),
    ("eu_west_1", "mypurecloud.ie"),
    ("ap_southeast_2", "mypurecloud.com.au"),
    ("ap_northeast_1", "mypurecloud.jp"),
    ("eu_central_1", "mypurecloud.de"),
    ("us_west_2", "usw2.pure.cloud"),
    ("ca_central_1", "cac1.pure.cloud"),
    ("ap_northeast_2", "apne2.pure.cloud"),
    ("eu_west_2", "euw2.pure.cloud"),
    ("ap_south_1", "aps1.pure.cloud"),
    ("us_east_2", "use2.us-gov-pure.cloud"),
    ("sa_east_1", "sae1.pure.cloud"),
    ("me_central_1", "mec1.pure.cloud"),
    ("ap_northeast_3", "apne3.pure.cloud"),
    ("eu_central_2", "euc2.pure.cloud"),
    ("mx_central_1", "mxc1.pure.cloud"),
    ("ap_southeast_1", "apse1.pure.cloud"),
    ("eusc_de_east_1", "edee1.eusc-pure.cloud"),
];

/// The region used when none is set: the first of [`REGIONS`].
pub const DEFAULT_REGION: &str = REGIONS[0].0;

/// Where API calls and token requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    api_base: Url,
    login_base: Url,
}

impl Default for Environment {
    fn default() -> Self {
        Environment::from_domain(REGIONS[0].1)
    }
}

/// Routes calls through a gateway: `protocol://host[:port]/<path_params_api>/api/v2/...`
/// and `protocol://host[:port]/<path_params_login>/oauth/token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    pub host: String,
    /// `https` (default) or `http`.
    pub protocol: String,
    pub port: Option<u16>,
    pub path_params_login: String,
    pub path_params_api: String,
}

impl Gateway {
    pub fn new(host: impl Into<String>) -> Self {
        Gateway {
            host: host.into(),
            protocol: "https".into(),
            port: None,
            path_params_login: String::new(),
            path_params_api: String::new(),
        }
    }

    /// The environment this gateway stands for.
    pub fn environment(&self) -> Result<Environment> {
        let protocol = if self.protocol.is_empty() { "https" } else { self.protocol.as_str() };
        if protocol != "https" && protocol != "http" {
            return Err(Error::configuration(format!("gateway protocol must be https or http, not '{protocol}'")));
        }
        let host = self.host.trim().trim_end_matches('/');
        if host.is_empty() || host.contains('/') || host.contains(' ') {
            return Err(Error::configuration(format!("gateway host '{host}' is not a host name")));
        }
        let mut base = format!("{protocol}://{host}");
        if let Some(port) = self.port {
            base.push_str(&format!(":{port}"));
        }
        let join = |prefix: &str| -> Result<Url> {
            let prefix = prefix.trim_matches('/');
            let s = if prefix.is_empty() { base.clone() } else { format!("{base}/{prefix}") };
            parse_base(&s)
        };
        Ok(Environment { api_base: join(&self.path_params_api)?, login_base: join(&self.path_params_login)? })
    }
}

/// Refuses a URL whose host is not ASCII (naming the way out) or is percent-encoded. The `url` crate is built
/// without the Unicode tables of IDNA (see `idna_adapter` in Cargo.toml), so it could not
/// convert such a host; it would only say "invalid international domain name". An
/// international domain name works in its punycode form (`xn--bcher-kva.example`).
pub(crate) fn ascii_host(url: &str) -> std::result::Result<(), String> {
    // The host as `url` will see it: the URL standard drops every tab, CR and LF
    // first, so one of them inside the host must not hide the rest from this check.
    let url: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let url = url.as_str();
    let rest = url.split_once(':').map_or(url, |(_, r)| r).trim_start_matches(['/', '\\']);
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if !host.is_ascii() {
        return Err(format!(
            "host '{host}' is not ASCII: give an international domain name in its punycode form (xn--...)"
        ));
    }
    // `url` decodes a percent-encoded host and hands the result to IDNA
    // unchecked, where `%45` (an upper-case `E`) trips an assertion of the
    // IDNA adapter. No host name needs percent-encoding: refuse it here.
    if host.contains('%') {
        return Err(format!("host '{host}' is percent-encoded: write the host name plainly"));
    }
    check_punycode_labels(host)
}

/// The longest DNS label; a longer `xn--` label is refused before decoding.
const MAX_LABEL: usize = 63;

/// Refuses a host with an `xn--` label that is not valid punycode or that decodes
/// to a control or an invisible format character (bidirectional marks among them).
/// Without its Unicode tables (see `idna_adapter` in Cargo.toml) IDNA does not
/// refuse those itself, and one of them (U+200F) trips an assertion inside it.
fn check_punycode_labels(host: &str) -> std::result::Result<(), String> {
    // An IP literal (`[::1]`) has no labels; a port follows the last ':'.
    if host.starts_with('[') {
        return Ok(());
    }
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    for label in name.split('.') {
        let Some(encoded) = label.get(..4).filter(|p| p.eq_ignore_ascii_case("xn--")).and(label.get(4..)) else {
            continue;
        };
        let bad = || format!("host '{host}' has '{label}', which is not a valid international domain name label");
        if label.len() > MAX_LABEL {
            return Err(bad());
        }
        let decoded = punycode_decode(encoded).ok_or_else(bad)?;
        if decoded.iter().any(|&c| c.is_control() || is_format_control(c)) {
            return Err(bad());
        }
    }
    Ok(())
}

/// Zero-width, bidirectional and other invisible format characters: never part
/// of a host name.
fn is_format_control(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Decodes the part of a punycode label after `xn--` (RFC 3492, section 6.2),
/// with checked arithmetic; `None` when it is not valid punycode.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "what is not checked is bounded: divisions by non-zero constants, bias and delta below 2^32 / 36, \
              and i below points, itself at most a label's length (host values are at most 2048 characters)"
)]
fn punycode_decode(input: &str) -> Option<Vec<char>> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + SKEW)
    }
    if !input.is_ascii() {
        return None;
    }
    let (basic, rest) = match input.rfind('-') {
        Some(p) => (&input[..p], &input[p + 1..]),
        None => ("", input),
    };
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let mut digits = rest.bytes().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = match digits.next()? {
                b @ b'a'..=b'z' => u32::from(b - b'a'),
                b @ b'A'..=b'Z' => u32::from(b - b'A'),
                b @ b'0'..=b'9' => u32::from(b - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                TMIN
            } else if k >= bias + TMAX {
                TMAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k = k.checked_add(BASE)?;
        }
        let points = u32::try_from(output.len()).ok()?.checked_add(1)?;
        bias = adapt(i - old_i, points, old_i == 0);
        n = n.checked_add(i / points)?;
        i %= points;
        output.insert(usize::try_from(i).ok()?, char::from_u32(n)?);
        i += 1;
    }
    Some(output)
}

fn parse_base(s: &str) -> Result<Url> {
    ascii_host(s).map_err(|m| Error::configuration(format!("URL '{s}': {m}")))?;
    let url = Url::parse(s).map_err(|e| Error::configuration(format!("malformed URL '{s}': {e}")))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(Error::configuration(format!(
            "URL '{s}' must start with https:// (or http:// for a local server)"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::configuration(format!("URL '{s}' has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::configuration(format!("base URL '{s}' must not have a query or fragment")));
    }
    Ok(url)
}

/// The longest environment string accepted: a URL of a host name (at most 253
/// characters) with room for a path; longer ones are refused before parsing.
const MAX_ENVIRONMENT_CHARS: usize = 2048;

fn looks_like_domain(s: &str) -> bool {
    s.contains('.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

impl Environment {
    /// A region by its name (`us_east_1`, also `us-east-1`, any case).
    pub fn region(name: &str) -> Result<Environment> {
        let key = name.trim().to_ascii_lowercase().replace('-', "_");
        REGIONS.iter().find(|(n, _)| *n == key).map(|(_, d)| Environment::from_domain(d)).ok_or_else(|| {
            let names: Vec<&str> = REGIONS.iter().map(|(n, _)| *n).collect();
            Error::configuration(format!(
                "unknown region '{}'; expected one of {} or a domain such as mypurecloud.ie",
                name.trim(),
                names.join(", ")
            ))
        })
    }

    /// The environment of a domain of [`REGIONS`]: constants only, never user
    /// input (that goes through [`Environment::from_user_domain`]). The test
    /// `every_region_by_name_and_domain` shows each of them forms its URLs.
    #[allow(clippy::expect_used, reason = "constants only; every_region_by_name_and_domain proves each parses")]
    fn from_domain(domain: &str) -> Environment {
        let mk = |prefix: &str| {
            Url::parse(&format!("https://{prefix}.{domain}")).expect("every domain of REGIONS forms a URL")
        };
        Environment { api_base: mk("api"), login_base: mk("login") }
    }

    /// The environment of a domain a user gave (`value` as they wrote it, for
    /// the error). Characters alone do not make a host: `example.1` (a numeric
    /// last label reads as a broken IPv4 address) and `mypurecloud.xn--ie` (bad
    /// punycode) pass [`looks_like_domain`] and are refused here.
    fn from_user_domain(domain: &str, value: &str) -> Result<Environment> {
        let mk = |prefix: &str| {
            parse_base(&format!("https://{prefix}.{domain}")).map_err(|e| {
                Error::configuration(format!("environment '{value}' is not a usable host name ({})", e.message()))
            })
        };
        Ok(Environment { api_base: mk("api")?, login_base: mk("login")? })
    }

    /// Parses a region name, a domain, an `api.`/`login.` host or a URL.
    /// Every error is a `configuration` error that names the value.
    pub fn parse(value: &str) -> Result<Environment> {
        let v = value.trim();
        if v.is_empty() {
            return Err(Error::configuration("environment is empty; give a region name or a domain"));
        }
        if v.chars().count() > MAX_ENVIRONMENT_CHARS {
            let start: String = v.chars().take(60).collect();
            return Err(Error::configuration(format!(
                "environment '{start}...' is {} characters long; at most {MAX_ENVIRONMENT_CHARS} are accepted",
                v.chars().count()
            )));
        }
        Self::parse_trimmed(v).map_err(|err| {
            if err.message().contains(v) {
                err
            } else {
                let message = format!("environment '{v}': {}", err.message());
                err.with_message(message)
            }
        })
    }

    fn parse_trimmed(v: &str) -> Result<Environment> {
        if v.contains("://") {
            let url = parse_base(v.trim_end_matches('/'))?;
            let host = url.host_str().unwrap_or_default().to_owned();
            let has_path = url.path() != "/" && !url.path().is_empty();
            if !has_path {
                if let Some(domain) = host.strip_prefix("api.") {
                    return Self::pair(&url, domain, "api.");
                }
                if let Some(domain) = host.strip_prefix("login.") {
                    return Self::pair(&url, domain, "login.");
                }
            }
            // Any other host (a local emulator, a test server): one base for both.
            return Ok(Environment { api_base: url.clone(), login_base: url });
        }
        let host = v.trim_end_matches('/');
        if !host.is_ascii() {
            return Err(Error::configuration(format!(
                "environment '{host}' is not ASCII: give an international domain name in its punycode form (xn--...)"
            )));
        }
        if let Ok(env) = Environment::region(host) {
            return Ok(env);
        }
        let domain = host.strip_prefix("api.").or_else(|| host.strip_prefix("login.")).unwrap_or(host);
        if looks_like_domain(domain) {
            return Environment::from_user_domain(&domain.to_ascii_lowercase(), host);
        }
        Environment::region(host)
    }

    fn pair(url: &Url, domain: &str, _prefix: &str) -> Result<Environment> {
        let mut api = url.clone();
        let mut login = url.clone();
        api.set_host(Some(&format!("api.{domain}")))
            .map_err(|e| Error::configuration(format!("bad host api.{domain}: {e}")))?;
        login
            .set_host(Some(&format!("login.{domain}")))
            .map_err(|e| Error::configuration(format!("bad host login.{domain}: {e}")))?;
        Ok(Environment { api_base: api, login_base: login })
    }

    /// Explicit bases, e.g. `http://127.0.0.1:8080` for both when using the emulator.
    pub fn custom(api_base: &str, login_base: &str) -> Result<Environment> {
        Ok(Environment {
            api_base: parse_base(api_base.trim().trim_end_matches('/'))?,
            login_base: parse_base(login_base.trim().trim_end_matches('/'))?,
        })
    }

    pub fn api_base(&self) -> &Url {
        &self.api_base
    }
    pub fn login_base(&self) -> &Url {
        &self.login_base
    }

    /// `{api_base}{path}` where `path` starts with `/` (e.g. `/api/v2/users/me`).
    pub fn api_url(&self, path: &str) -> String {
        join(&self.api_base, path)
    }

    /// `{login_base}{path}` (e.g. `/oauth/token`).
    pub fn login_url(&self, path: &str) -> String {
        join(&self.login_base, path)
    }

    /// Fails unless both bases use https, or http to a loopback host, or
    /// `allow_insecure_http` is set.
    pub fn check_security(&self, allow_insecure_http: bool) -> Result<()> {
        for url in [&self.api_base, &self.login_base] {
            if url.scheme() == "http" && !allow_insecure_http && !is_loopback(url) {
                return Err(Error::configuration(format!(
                    "refusing plain http to non-loopback host {}; use https, or set allow_insecure_http",
                    url.host_str().unwrap_or_default()
                )));
            }
        }
        Ok(())
    }
}

fn join(base: &Url, path: &str) -> String {
    let b = base.as_str().trim_end_matches('/');
    if path.starts_with('/') {
        format!("{b}{path}")
    } else {
        format!("{b}/{path}")
    }
}

/// Whether a URL's host is a loopback address (`localhost`, `127.0.0.0/8`, `::1`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_by_name_and_domain() {
        assert_eq!(REGIONS.len(), 18);
        for (name, domain) in REGIONS {
            let by_name = Environment::parse(name).unwrap();
            assert_eq!(by_name.api_base().as_str(), format!("https://api.{domain}/"));
            assert_eq!(by_name.login_base().as_str(), format!("https://login.{domain}/"));
            assert_eq!(Environment::parse(domain).unwrap(), by_name);
            assert_eq!(Environment::parse(&name.replace('_', "-").to_uppercase()).unwrap(), by_name);
        }
    }

    #[test]
    fn hosts_and_urls() {
        let ie = Environment::region("eu_west_1").unwrap();
        for v in [
            "mypurecloud.ie",
            "mypurecloud.ie/",
            "api.mypurecloud.ie",
            "login.mypurecloud.ie",
            "https://api.mypurecloud.ie",
            "https://api.mypurecloud.ie/",
            "https://login.mypurecloud.ie/",
        ] {
            assert_eq!(Environment::parse(v).unwrap(), ie, "{v}");
        }
        assert_eq!(ie.api_url("/api/v2/users/me"), "https://api.mypurecloud.ie/api/v2/users/me");
        assert_eq!(ie.login_url("/oauth/token"), "https://login.mypurecloud.ie/oauth/token");
    }

    #[test]
    fn custom_and_loopback() {
        let e = Environment::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(e.api_url("/api/v2/x"), "http://127.0.0.1:8080/api/v2/x");
        assert_eq!(e.login_url("/oauth/token"), "http://127.0.0.1:8080/oauth/token");
        e.check_security(false).unwrap();
        let remote = Environment::custom("http://example.com", "http://example.com").unwrap();
        let err = remote.check_security(false).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Configuration);
        assert!(err.message().contains("plain http"));
        remote.check_security(true).unwrap();
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let err = Environment::parse("narnia_east_1").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Configuration);
        assert!(err.message().contains("unknown region 'narnia_east_1'"), "{}", err.message());
        assert!(Environment::parse("https://").is_err());
        assert!(Environment::parse("ftp://api.mypurecloud.com").is_err());
        assert!(Environment::parse("").is_err());
    }

    /// Hosts are ASCII (`url` has no IDNA tables): other hosts get an error that says what
    /// to do, before `url` sees them; punycode and upper-case ASCII work as before.
    #[test]
    fn non_ascii_hosts_are_refused_with_the_way_out() {
        for v in [
            "https://bücher.example",
            "https://BÜCHER.example/x",
            "https://user:pw@bücher.example:8443/",
            "bücher.example",
        ] {
            let err = Environment::parse(v).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Configuration);
            assert!(err.message().contains("not ASCII") && err.message().contains("xn--"), "{}", err.message());
        }
        let err = Environment::custom("https://ｅｘａｍｐｌｅ.com", "https://example.com").unwrap_err();
        assert!(err.message().contains("not ASCII"), "{}", err.message());
        let mut g = Gateway::new("gätewäy.example");
        assert!(g.environment().unwrap_err().message().contains("not ASCII"));
        g.host = "xn--gtewy-hraa.example".into();
        assert_eq!(g.environment().unwrap().api_base().as_str(), "https://xn--gtewy-hraa.example/");
        let e = Environment::parse("https://API.MyPureCloud.IE/").unwrap();
        assert_eq!(e.api_base().as_str(), "https://api.mypurecloud.ie/");
        // Only the host counts: a non-ASCII path or password is the URL's business.
        assert!(ascii_host("https://us\u{e9}r:p\u{e4}ss@example.com/b\u{fc}cher?q=\u{e9}").is_ok());
    }

    #[test]
    fn gateway_paths() {
        let mut g = Gateway::new("gw.example.com");
        g.port = Some(8443);
        g.path_params_login = "login/".into();
        g.path_params_api = "/api".into();
        let e = g.environment().unwrap();
        assert_eq!(e.login_url("/oauth/token"), "https://gw.example.com:8443/login/oauth/token");
        assert_eq!(e.api_url("/api/v2/users/me"), "https://gw.example.com:8443/api/api/v2/users/me");
        g.protocol = "gopher".into();
        assert!(g.environment().is_err());
    }

    /// Hosts that hit an `expect` (`example.1`, `mypurecloud.xn--ie`) or an assertion in
    /// IDNA (a percent-encoded host) and aborted Node: `configuration` errors naming the value.
    #[test]
    fn bad_hosts_are_configuration_errors_naming_the_value() {
        let long = format!("{}.example", "a".repeat(100_000));
        let cases: Vec<&str> = vec![
            "example.1",
            "mypurecloud.xn--ie",
            "api.example.1",
            "login.mypurecloud.xn--ie",
            "xn--.com",
            "a.0x1",
            "1.2.3.999",
            "",
            " ",
            "\t\n",
            "http://",
            "https://",
            "https://:0",
            "https://:0/",
            "https://example.1",
            "https://api.mypurecloud.xn--ie",
            "https://EeEE%EEEEEEtEEEEE",
            "https://%45xample.com",
            "https://user:p%41ss@%65xample.com/",
            "bücher.example",
            "例え.テスト",
            "\u{1F600}",
            "mypurecloud.ie\0",
        ];
        for v in cases.iter().copied().chain([long.as_str()]) {
            let err = Environment::parse(v).map(|e| e.api_base().to_string()).expect_err(v);
            assert_eq!(err.kind(), crate::ErrorKind::Configuration, "{v}");
            let shown: String = v.trim().chars().take(40).collect();
            assert!(err.message().contains(&shown), "{v:?}: {}", err.message());
        }
        // The same values as a gateway host and as custom bases.
        for v in ["example.1", "mypurecloud.xn--ie", "EeEE%EEEEEEtEEEEE\u{13}\u{1}\0\0]lg\0o", "%45", ""] {
            let err = Gateway::new(v).environment().expect_err(v);
            assert_eq!(err.kind(), crate::ErrorKind::Configuration, "{v}");
            let err = Environment::custom(&format!("https://{v}"), "https://example.com").expect_err(v);
            assert_eq!(err.kind(), crate::ErrorKind::Configuration, "{v}");
        }
        // Long but well-formed: accepted (the name server has the last word).
        let long_label = format!("{}.com", "b".repeat(64));
        assert!(Environment::parse(&long_label).is_ok());
        // A percent-encoded password is fine: only the host is checked.
        assert!(Environment::custom("https://u:p%41ss@example.com", "https://example.com").is_ok());
    }

    #[test]
    fn punycode_labels() {
        let decode = |s: &str| punycode_decode(s).map(|v| v.into_iter().collect::<String>());
        assert_eq!(decode("bcher-kva").as_deref(), Some("b\u{fc}cher"));
        assert_eq!(decode("gtewy-grad").as_deref(), Some("g\u{e4}tew\u{e4}y"));
        assert_eq!(decode("r8jz45g").as_deref(), Some("\u{4f8b}\u{3048}"));
        assert_eq!(decode("ab-s1t").as_deref(), Some("a\u{200f}b"));
        assert_eq!(decode("").as_deref(), Some(""));
        for bad in ["ie", "9999999999", "a-!", "99999999999999999999", "\u{e9}"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
        for good in ["https://xn--bcher-kva.example", "https://XN--BCHER-KVA.example:8443/x", "https://[::1]:80"] {
            assert!(ascii_host(good).is_ok(), "{good}");
        }
        // An invisible right-to-left mark (U+200F) in a punycode label tripped an
        // assertion inside IDNA; bad punycode and over-long labels are refused too.
        for v in [
            "https://xn--ab-s1t.example",
            "https://xn--4db255k.com",
            "xn--3ug.example",
            "mypurecloud.xn--ie",
            &format!("https://xn--{}.com", "a".repeat(60)),
        ] {
            let err = Environment::parse(v).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Configuration, "{v}");
            assert!(
                err.message().contains(v) && err.message().contains("international domain name"),
                "{v}: {}",
                err.message()
            );
        }
    }
}
