//! The rules every SDK surface shares, over the catalog: which API classes an operation is
//! in, which parameters are positional and in which order, and the names the JavaScript
//! `opts` object uses. The generator writes the API classes of each language with them; the
//! Node addon builds its API classes from them at run time ([`Catalog::js_api_table`]), so
//! the npm package does not carry the operation table twice.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::{tag_class, Catalog, Location, Operation, Param};

/// The API classes and their operations: every tag of an operation gives a class (as in the
/// official SDKs), so an operation with two tags is in two classes. Sorted by class name, then
/// in the order of `operations`. The bool is true for the operation's primary class.
pub fn class_members(operations: &[Operation]) -> BTreeMap<String, Vec<(&Operation, bool)>> {
    let mut classes: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for op in operations {
        let mut seen = BTreeSet::new();
        for tag in &op.tags {
            let Some(class) = tag_class(tag) else { continue };
            if seen.insert(class.clone()) {
                let primary = class == op.class;
                classes.entry(class).or_default().push((op, primary));
            }
        }
    }
    classes
}

/// (positional, optional) parameters, as in the official SDKs: the required ones are
/// positional (required non-body ones first, in spec order, then the required body); the
/// optional ones follow in spec order (JS: in `opts`, Python: keyword arguments, Go:
/// positional).
pub fn split(op: &Operation) -> (Vec<&Param>, Vec<&Param>) {
    let mut positional: Vec<&Param> = op.params.iter().filter(|p| p.required && p.location != Location::Body).collect();
    positional.extend(op.params.iter().filter(|p| p.required && p.location == Location::Body));
    let optional = op.params.iter().filter(|p| !p.required).collect();
    (positional, optional)
}

/// The keys of the JavaScript `opts` object for the optional parameters: the spec name,
/// camel-cased when it is not an identifier (`If-Match` -> `ifMatch`), never `customHeaders`
/// and never twice (a clash gets `2`, `3`, ...).
pub fn js_option_keys(optional: &[&Param]) -> Vec<String> {
    let mut keys: BTreeSet<String> = ["customHeaders".to_string()].into();
    optional.iter().map(|p| unique(camel_ident(&p.name), &mut keys)).collect()
}

impl Catalog {
    /// Every API class with its methods, for the Node package's `generated/apis.js`: one line
    /// per class, `ClassName` then a tab-separated entry per method,
    /// `operationId positional,params|optional,params`: spec parameter names in the order the
    /// method takes them (see [`split`]); an optional parameter whose `opts` key is not its
    /// spec name is written `spec:key` (`If-Match:ifMatch`). Names are percent-escaped where
    /// they hold one of ` ,|:%`, a tab or a newline (`decodeURIComponent` undoes it).
    pub fn js_api_table(&self) -> String {
        let mut out = String::new();
        for (class, ops) in class_members(self.operations()) {
            out.push_str(&class);
            for (op, _) in ops {
                out.push('\t');
                js_entry(&mut out, op);
            }
            out.push('\n');
        }
        out
    }
}

/// `operationId positional,params|optional,params` (see [`Catalog::js_api_table`]).
fn js_entry(out: &mut String, op: &Operation) {
    let (positional, optional) = split(op);
    out.push_str(&op.id);
    if positional.is_empty() && optional.is_empty() {
        return;
    }
    out.push(' ');
    for (i, p) in positional.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        table_name(out, &p.name);
    }
    if optional.is_empty() {
        return;
    }
    out.push('|');
    for (i, (p, key)) in optional.iter().zip(js_option_keys(&optional)).enumerate() {
        if i > 0 {
            out.push(',');
        }
        table_name(out, &p.name);
        if key != p.name {
            out.push(':');
            table_name(out, &key);
        }
    }
}

/// A name in the table, with the separators and `%` percent-escaped.
fn table_name(out: &mut String, name: &str) {
    for c in name.chars() {
        match c {
            ' ' | ',' | '|' | ':' | '%' | '\t' | '\n' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::table_name;

    #[test]
    fn table_names_escape_the_separators() {
        let esc = |s: &str| {
            let mut out = String::new();
            table_name(&mut out, s);
            out
        };
        assert_eq!(esc("If-Match"), "If-Match");
        assert_eq!(esc("a b,c|d:e%f\tg\nh"), "a%20b%2Cc%7Cd%3Ae%25f%09g%0Ah");
    }
}
