//! Names: API classes, methods and parameters in each language, as the official SDKs spell
//! them, plus deterministic sanitising for names that are not identifiers.

use std::collections::{BTreeMap, BTreeSet};

/// Shared with the Node addon, which names the JavaScript `opts` keys at run time.
pub use purecore_catalog::sdk::{camel_ident, is_plain_ident, unique, words};

/// `Telephony Providers Edge` -> `TelephonyProvidersEdgeApi` (the catalog's rule).
pub fn class_name(tag: &str) -> Option<String> {
    purecore_catalog::tag_class(tag)
}

/// `getUsersMe` -> `get_users_me` (the official Python SDK's method and parameter names).
pub fn snake_case(name: &str) -> String {
    let mut s = words(name).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_");
    if s.is_empty() {
        s.push('_');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// `getUsersMe` -> `GetUsersMe`; `auth-token` -> `AuthToken`; `$ref` -> `Ref`.
pub fn pascal_case(name: &str) -> String {
    let mut out = String::new();
    for w in words(name) {
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.push_str(cs.as_str());
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    out
}

/// A type name: the definition name with every character that is not `[A-Za-z0-9_]`
/// replaced by `_` (and a leading `_` before a digit).
pub fn type_ident(name: &str) -> String {
    let mut s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// Maps each definition name to a type name, deterministically: names are visited in
/// sorted order, sanitised with `sanitize`, and made unique against `reserved` and each other.
pub fn type_names(
    names: impl IntoIterator<Item = String>,
    sanitize: impl Fn(&str) -> String,
    reserved: &[&str],
) -> BTreeMap<String, String> {
    let mut sorted: Vec<String> = names.into_iter().collect();
    sorted.sort();
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut out = BTreeMap::new();
    // Names that need no change first, so a sanitised name never takes a real one.
    for n in &sorted {
        let s = sanitize(n);
        if &s == n && !taken.contains(&s) {
            taken.insert(s.clone());
            out.insert(n.clone(), s);
        }
    }
    for n in &sorted {
        if !out.contains_key(n) {
            let s = unique(sanitize(n), &mut taken);
            out.insert(n.clone(), s);
        }
    }
    out
}

/// A single-quoted string literal, valid in both JavaScript and Python.
pub fn single_quoted(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_spellings() {
        assert_eq!(class_name("Telephony Providers Edge").as_deref(), Some("TelephonyProvidersEdgeApi"));
        assert_eq!(class_name("Users").as_deref(), Some("UsersApi"));
        assert_eq!(class_name("AI Studio").as_deref(), Some("AIStudioApi"));
        assert_eq!(class_name(" - ").as_deref(), None);
        assert_eq!(snake_case("getUsersMe"), "get_users_me");
        assert_eq!(snake_case("getPresenceDefinition0"), "get_presence_definition0");
        assert_eq!(snake_case("userId"), "user_id");
        assert_eq!(snake_case("If-Match"), "if_match");
        assert_eq!(snake_case("lines.defaultForUser.id"), "lines_default_for_user_id");
        assert_eq!(snake_case("AIStudioApi"), "ai_studio_api");
        assert_eq!(snake_case("getIPAddress"), "get_ip_address");
        assert_eq!(pascal_case("getUsersMe"), "GetUsersMe");
        assert_eq!(pascal_case("auth-token"), "AuthToken");
        assert_eq!(pascal_case("$ref"), "Ref");
        assert_eq!(pascal_case("selfUri"), "SelfUri");
        assert_eq!(camel_ident("If-Match"), "ifMatch");
        assert_eq!(camel_ident("lines.loggedInUser.id"), "linesLoggedInUserId");
        assert_eq!(camel_ident("userId"), "userId");
    }

    #[test]
    fn type_names_are_unique_and_stable() {
        let names = ["A-b", "A_b", "User", "Configuration"].map(String::from);
        let m = type_names(names, type_ident, &["Configuration"]);
        assert_eq!(m["A_b"], "A_b");
        assert_eq!(m["A-b"], "A_b2");
        assert_eq!(m["User"], "User");
        assert_eq!(m["Configuration"], "Configuration2");
    }
}
