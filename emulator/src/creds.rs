//! Built-in credentials the emulator accepts. They are test values, not secrets.

/// Client-credentials client (Basic auth). Also allowed for the SAML2 bearer grant.
pub const CLIENT_ID: &str = "emulator-client";
pub const CLIENT_SECRET: &str = "emulator-secret";
/// Confidential authorization-code client (Basic auth); may also use client credentials and SAML2.
pub const CODE_CLIENT_ID: &str = "emulator-code-client";
pub const CODE_CLIENT_SECRET: &str = "emulator-code-secret";
/// Public client: authorization code with PKCE, implicit grant, refresh with `client_id`.
pub const PUBLIC_CLIENT_ID: &str = "emulator-public-client";
/// Registered redirect URI (the other one is `https://example.test/callback`).
pub const REDIRECT_URI: &str = "http://localhost:8085/callback";
/// A second registered redirect URI.
pub const REDIRECT_URI_2: &str = "https://example.test/callback";
/// `orgName` accepted by the SAML2 bearer grant.
pub const SAML_ORG: &str = "emulator-org";
/// `assertion` accepted by the SAML2 bearer grant: base64 of a tiny SAML 2.0 assertion.
/// It contains `+` and `/`, so a client must form-encode it properly.
pub const SAML_ASSERTION: &str = "PHNhbWwyOkFzc2VydGlvbiB4bWxuczpzYW1sMj0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOmFzc2VydGlvbiIgSUQ9Il9lbXVsYXRvciIgVmVyc2lvbj0iMi4wIiBJc3N1ZUluc3RhbnQ9IjIwMjQtMDEtMDFUMDA6MDA6MDBaIj48c2FtbDI6SXNzdWVyPmVtdWxhdG9yLWlkcDwvc2FtbDI6SXNzdWVyPjxzYW1sMjpTdWJqZWN0PjxzYW1sMjpOYW1lSUQ+ZW11bGF0b3IudXNlckBleGFtcGxlLnRlc3Q8L3NhbWwyOk5hbWVJRD48L3NhbWwyOlN1YmplY3Q+PC9zYW1sMjpBc3NlcnRpb24+";
/// Id of the built-in user that every user-facing grant signs in as.
pub const USER_ID: &str = "00000000-0000-4000-8000-000000000001";

/// Redirect URIs `/oauth/authorize` accepts.
pub const REDIRECT_URIS: [&str; 2] = [REDIRECT_URI, REDIRECT_URI_2];

/// The secret of a confidential client, `None` for the public client or unknown ids.
pub(crate) fn secret_of(client_id: &str) -> Option<&'static str> {
    match client_id {
        CLIENT_ID => Some(CLIENT_SECRET),
        CODE_CLIENT_ID => Some(CODE_CLIENT_SECRET),
        _ => None,
    }
}

/// Display name of a known client.
pub(crate) fn client_name(client_id: &str) -> &'static str {
    match client_id {
        CLIENT_ID => "Emulator Client Credentials",
        CODE_CLIENT_ID => "Emulator Code Authorization",
        PUBLIC_CLIENT_ID => "Emulator Public (PKCE / Implicit)",
        _ => "Unknown client",
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    #[test]
    fn saml_assertion_is_base64_xml() {
        let raw = base64::engine::general_purpose::STANDARD.decode(super::SAML_ASSERTION).unwrap();
        let xml = String::from_utf8(raw).unwrap();
        assert!(xml.starts_with("<saml2:Assertion"));
        assert!(super::SAML_ASSERTION.contains('+'));
    }
}
