//! Removes secrets from what is logged: headers, URLs, form and JSON bodies.

/// Replacement text for a removed secret.
pub const REDACTED: &str = "[REDACTED]";

const SECRET_HEADERS: [&str; 5] = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"];

/// Form and query fields that carry credentials (token requests, redirects).
const SECRET_FIELDS: [&str; 12] = [
    "client_secret",
    "code",
    "refresh_token",
    "access_token",
    "id_token",
    "assertion",
    "code_verifier",
    "password",
    "client_assertion",
    "token",
    "secret",
    "state_secret",
];

/// JSON keys whose values are credentials. Genesys error bodies use `code`
/// for an error name, so `code` is only redacted in form bodies.
const SECRET_JSON_KEYS: [&str; 14] = [
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "id_token",
    "client_secret",
    "clientsecret",
    "secret",
    "password",
    "assertion",
    "code_verifier",
    "codeverifier",
    "token",
    "authorization",
];

pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// Header pairs with credential values replaced.
pub fn headers(h: &[(String, String)]) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            let v = if is_secret_header(k) { REDACTED.to_owned() } else { v.clone() };
            (k.clone(), v)
        })
        .collect()
}

fn is_secret_field(name: &str) -> bool {
    SECRET_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// An `a=1&b=2` string with secret fields' values replaced.
pub fn form(s: &str) -> String {
    s.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_field(&decode(k)) => format!("{k}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// A URL with its user-info (`user:password@`) and secret query and fragment
/// fields replaced.
pub fn url(u: &str) -> String {
    let stripped;
    let u = match (u.find("://"), u.find('@')) {
        (Some(scheme_end), Some(at))
            if at > scheme_end && !u.get(scheme_end.saturating_add(3)..at).unwrap_or("/").contains('/') =>
        {
            let scheme = u.get(..scheme_end.saturating_add(3)).unwrap_or_default();
            let rest = u.get(at.saturating_add(1)..).unwrap_or_default();
            stripped = format!("{scheme}{REDACTED}@{rest}");
            stripped.as_str()
        }
        _ => u,
    };
    let (main, fragment) = match u.split_once('#') {
        Some((m, f)) => (m, Some(f)),
        None => (u, None),
    };
    let mut out = match main.split_once('?') {
        Some((base, q)) => format!("{base}?{}", form(q)),
        None => main.to_owned(),
    };
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&form(f));
    }
    out
}

/// A JSON value with secret keys' values replaced, at any depth.
pub fn json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                let key = k.to_ascii_lowercase();
                if SECRET_JSON_KEYS.contains(&key.as_str()) && !val.is_null() {
                    *val = serde_json::Value::String(REDACTED.into());
                } else {
                    json(val);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(json),
        _ => {}
    }
}

/// A body as loggable text: JSON and form bodies with secrets replaced, other
/// text as is, binary as a size.
pub fn body(bytes: &[u8], content_type: Option<&str>, is_token_call: bool) -> String {
    const MAX: usize = 64 * 1024;
    if bytes.is_empty() {
        return String::new();
    }
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(bytes) {
        json(&mut v);
        return v.to_string();
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return format!("<{} bytes of binary data>", bytes.len());
    };
    if is_token_call || ct.contains("x-www-form-urlencoded") {
        return form(text);
    }
    if text.len() > MAX {
        let mut end = MAX;
        while !text.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        return format!("{}... <{} bytes in all>", &text[..end], text.len());
    }
    text.to_owned()
}

/// A proxy URL as shown in messages: everything before its last `@` (the
/// user and password) replaced.
pub(crate) fn proxy_url(value: &str) -> String {
    let Some(at) = value.rfind('@') else {
        return value.to_owned();
    };
    let scheme = match value.find("://") {
        Some(i) if i < at => value.get(..i.saturating_add(3)).unwrap_or_default(),
        _ => "",
    };
    format!("{scheme}{REDACTED}@{}", value.get(at.saturating_add(1)..).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields() {
        let f = "grant_type=authorization_code&code=abc&redirect_uri=x&client_secret=s3&code_verifier=v&assertion=PHN&refresh_token=r";
        let r = form(f);
        for s in ["abc", "s3", "=v", "PHN", "=r&", "token=r"] {
            assert!(!r.contains(s), "{s} in {r}");
        }
        assert!(r.contains("grant_type=authorization_code"));
        assert!(r.contains("redirect_uri=x"));
    }

    #[test]
    fn json_and_headers_and_urls() {
        let mut v =
            serde_json::json!({"access_token":"tok","nested":[{"refresh_token":"rt"}],"code":"bad.credentials"});
        json(&mut v);
        let s = v.to_string();
        assert!(!s.contains("tok\"") && !s.contains("rt\""), "{s}");
        assert!(s.contains("bad.credentials"));
        let h = headers(&[("Authorization".into(), "Bearer x".into()), ("accept".into(), "a".into())]);
        assert_eq!(h[0].1, REDACTED);
        assert_eq!(h[1].1, "a");
        let u = url("https://h/cb?code=c0de&state=s#access_token=t0k&expires_in=1");
        assert!(!u.contains("c0de") && !u.contains("t0k"), "{u}");
        assert!(u.contains("state=s") && u.contains("expires_in=1"));
        let p = url("http://proxyuser:hunter2@proxy.example:3128/x?a=1");
        assert_eq!(p, "http://[REDACTED]@proxy.example:3128/x?a=1");
        assert_eq!(url("https://h/p?email=a@b.c"), "https://h/p?email=a@b.c");
    }

    #[test]
    fn proxy_urls_lose_their_credentials() {
        assert_eq!(proxy_url("http://u:p@h:1"), "http://[REDACTED]@h:1");
        assert_eq!(proxy_url("http://u:p@ss@h:1"), "http://[REDACTED]@h:1");
        assert_eq!(proxy_url("u:p@h"), "[REDACTED]@h");
        assert_eq!(proxy_url("http://h:1"), "http://h:1");
    }
}
