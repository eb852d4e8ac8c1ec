//! PKCE (RFC 7636): verifier from the operating system's CSPRNG, S256 challenge.

use base64::Engine;
use rand::rngs::OsRng;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// A random string of `len` unreserved characters from the OS CSPRNG.
pub(crate) fn random_string(len: usize) -> String {
    random_from(UNRESERVED, len)
}

/// A random string of letters and digits (for `state`), from the OS CSPRNG.
pub(crate) fn random_alphanumeric(len: usize) -> String {
    random_from(UNRESERVED.get(..62).unwrap_or(UNRESERVED), len)
}

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = OsRng;
    if alphabet.is_empty() {
        return String::new();
    }
    (0..len).filter_map(|_| alphabet.get(rng.gen_range(0..alphabet.len())).map(|&b| char::from(b))).collect()
}

/// A new code verifier of `len` characters (43 to 128, as RFC 7636 requires).
pub fn generate_code_verifier(len: usize) -> Result<String> {
    if !(43..=128).contains(&len) {
        return Err(Error::invalid_argument(format!(
            "a PKCE code verifier must be 43 to 128 characters long, not {len}"
        )));
    }
    Ok(random_string(len))
}

/// `base64url(SHA-256(verifier))` without padding (method S256).
pub fn compute_code_challenge(verifier: &str) -> Result<String> {
    if !(43..=128).contains(&verifier.len()) || !verifier.bytes().all(|b| UNRESERVED.contains(&b)) {
        return Err(Error::invalid_argument(
            "a PKCE code verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
        ));
    }
    let digest = Sha256::digest(verifier.as_bytes());
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(compute_code_challenge(v).unwrap(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn verifiers_are_random_and_valid() {
        let a = generate_code_verifier(128).unwrap();
        let b = generate_code_verifier(128).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 128);
        assert!(compute_code_challenge(&a).is_ok());
        assert!(generate_code_verifier(42).is_err());
        assert!(generate_code_verifier(129).is_err());
        assert!(compute_code_challenge("short").is_err());
    }
}
