//! The Platform API catalog as the emulator uses it: request validation ([`validate`]),
//! generated responses ([`generate`]) and valid sample parameters ([`samples`]).
//!
//! Everything here is driven by `purecore-catalog` data (operations and models), so every
//! operation of the definition is covered without per-operation code.

pub(crate) mod generate;
pub(crate) mod samples;
pub(crate) mod validate;

use purecore_catalog::TypeRef;
use serde_json::Value;

/// Path values starting with this are sample ids: stateful handlers leave them to the
/// generic answer (see README.md, "Sample ids").
pub(crate) const SAMPLE_PREFIX: &str = "sample-";

/// The fixed instant of generated `date-time` values.
pub(crate) const DATE_TIME: &str = "2024-01-02T03:04:05.000Z";
/// The fixed day of generated `date` values.
pub(crate) const DATE: &str = "2024-01-02";
/// The fixed value of generated `local-date-time` values.
pub(crate) const LOCAL_DATE_TIME: &str = "2024-01-02T03:04:05";

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `parts`, with a separator byte between parts.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h = FNV_OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(FNV_PRIME);
        }
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// SplitMix64 finaliser: spreads the bits of `x`.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A UUID-v4-looking string derived from `h`.
pub(crate) fn uuid_from(h: u64) -> String {
    let a = mix(h);
    let b = mix(h ^ 0x5555_5555_5555_5555);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// "a string", "an integer", ... for messages about a type.
pub(crate) fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { .. } => "a string".into(),
        TypeRef::Integer { .. } => "an integer".into(),
        TypeRef::Number { .. } => "a number".into(),
        TypeRef::Boolean => "a boolean".into(),
        TypeRef::Array(_) => "an array".into(),
        TypeRef::Map(_) | TypeRef::Object => "an object".into(),
        TypeRef::Ref(name) => format!("an object ({name})"),
        TypeRef::File => "a file".into(),
    }
}

/// "a string", "null", ... for a JSON value.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short JSON rendering of a value for messages (at most ~60 characters).
pub(crate) fn snippet(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() <= 60 {
        return s;
    }
    let cut: String = s.chars().take(57).collect();
    format!("{cut}...")
}

/// `A, B, C` (at most 12 values, then `...`).
pub(crate) fn list_values(values: &[String]) -> String {
    let mut out = values.iter().take(12).map(String::as_str).collect::<Vec<_>>().join(", ");
    if values.len() > 12 {
        out.push_str(&format!(", ... ({} values)", values.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_is_stable() {
        assert_eq!(fnv1a(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        let u = uuid_from(42);
        assert_eq!(u, uuid_from(42));
        assert_ne!(u, uuid_from(43));
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn messages() {
        assert_eq!(json_kind(&serde_json::json!(1.5)), "a number");
        assert_eq!(json_kind(&serde_json::json!(2)), "an integer");
        assert!(snippet(&Value::String("x".repeat(100))).ends_with("..."));
        let many: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        assert!(list_values(&many).ends_with("(20 values)"));
    }
}
