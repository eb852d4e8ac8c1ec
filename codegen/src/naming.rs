//! Names: API classes, methods and parameters in each language, as the official SDKs spell
//! them, plus deterministic sanitising for names that are not identifiers.

use std::collections::{BTreeMap, BTreeSet};

/// `Telephony Providers Edge` -> `TelephonyProvidersEdgeApi` (the catalog's rule).
pub fn class_name(tag: &str) -> Option<String> {
    purecore_catalog::tag_class(tag)
}

/// Splits a name into words at non-alphanumerics and case changes:
/// `getUsersMe` -> get Users Me; `AIStudio` -> AI Studio; `If-Match` -> If Match.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // aB -> a|B ; 1B -> 1|B ; ABc -> A|Bc
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower) {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
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

/// A JS/TS identifier for a spec parameter name: unchanged when it already is one,
/// else camel-cased (`If-Match` -> `ifMatch`, `lines.id` -> `linesId`).
pub fn camel_ident(name: &str) -> String {
    if is_plain_ident(name) {
        return name.to_string();
    }
    let mut out = String::new();
    for (i, w) in words(name).iter().enumerate() {
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            if i == 0 {
                out.push(f.to_ascii_lowercase());
            } else {
                out.push(f.to_ascii_uppercase());
            }
            out.push_str(cs.as_str());
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `[A-Za-z_][A-Za-z0-9_]*`
pub fn is_plain_ident(name: &str) -> bool {
    let mut cs = name.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
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

/// Makes `candidate` unique within `taken` by appending 2, 3, ... and records it.
pub fn unique(candidate: String, taken: &mut BTreeSet<String>) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    let mut n = 2;
    loop {
        let c = format!("{candidate}{n}");
        if taken.insert(c.clone()) {
            return c;
        }
        n += 1;
    }
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
