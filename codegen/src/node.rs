//! `bindings-node/generated/apis.js`: `defineApis(ApiClient)` returning every API class.
//!
//! The file is a table (class -> 'operationId positional|optional' strings) plus one
//! method factory, so it stays small; each class is built when it is first read. Each
//! method calls `this.apiClient.callOperation(operationId, params, opts)` where the keys of
//! `params` are the spec parameter names; the runtime ignores keys whose value is `undefined`.

use std::collections::BTreeSet;
use std::fmt::Write;

use purecore_catalog::{Operation, Param};

use crate::naming::{camel_ident, unique};
use crate::{class_members, header_text, sig, Api, Output};

/// JavaScript reserved words (and names the generated methods use themselves).
const JS_RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "undefined",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "opts",
];

/// The JS names of an operation's parameters: (param, positional identifier or opts key).
pub struct JsParams<'a> {
    pub positional: Vec<(&'a Param, String)>,
    pub optional: Vec<(&'a Param, String)>,
}

/// Names for the positional parameters (identifiers) and the `opts` keys.
pub fn js_params(op: &Operation) -> JsParams<'_> {
    let (pos, opt) = sig::split(op);
    let mut taken: BTreeSet<String> = JS_RESERVED.iter().map(|s| s.to_string()).collect();
    let positional = pos
        .into_iter()
        .map(|p| {
            let mut id = camel_ident(&p.name);
            if JS_RESERVED.contains(&id.as_str()) {
                id.insert(0, '_');
            }
            (p, unique(id, &mut taken))
        })
        .collect();
    let mut keys: BTreeSet<String> = ["customHeaders".to_string()].into();
    let optional = opt.into_iter().map(|p| (p, unique(camel_ident(&p.name), &mut keys))).collect();
    JsParams { positional, optional }
}

/// A JS string literal in single quotes.
pub fn js_str(s: &str) -> String {
    crate::naming::single_quoted(s)
}

/// An object literal key: bare when it is an identifier, quoted otherwise.
pub fn js_key(s: &str) -> String {
    if crate::naming::is_plain_ident(s) {
        s.to_string()
    } else {
        js_str(s)
    }
}

/// The runtime half of `apis.js`, after the table and the per-arity method factories.
const DEFINE_APIS: &str = r#"
const decode = (name) => (name.includes('%') ? decodeURIComponent(name) : name);
const parsed = new Map();

/** Calls the operation of a table entry; the entry is parsed on its first call. */
function call(api, entry, opts, args) {
  let op = parsed.get(entry);
  if (!op) {
    const [id, rest = ''] = entry.split(' ');
    const [pos, opt] = rest.split('|');
    op = {
      id,
      positional: pos ? pos.split(',').map(decode) : [],
      optional: opt ? opt.split(',').map((p) => p.split(':').map(decode)) : [],
    };
    parsed.set(entry, op);
  }
  const params = {};
  for (let i = 0; i < op.positional.length; i++) params[op.positional[i]] = args[i];
  for (const [spec, key = spec] of op.optional) params[spec] = opts[key];
  return api.apiClient.callOperation(op.id, params, opts);
}

/** The number of positional parameters of a table entry. */
function arity(entry, space) {
  const bar = entry.indexOf('|', space);
  const end = bar < 0 ? entry.length : bar;
  if (space < 0 || end === space + 1) return 0;
  let n = 1;
  for (let i = entry.indexOf(',', space); i >= 0 && i < end; i = entry.indexOf(',', i + 1)) n++;
  return n;
}

/**
 * One API class. A constructor function rather than `class` syntax: the methods go onto
 * the prototype before it becomes one, which is several times faster in V8 (3,500
 * methods in about 10 ms).
 */
function defineClass(name, entries, ApiClient) {
  const Api = {
    [name]: function (apiClient) {
      if (!new.target) throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`);
      this.apiClient = apiClient || ApiClient.instance;
    },
  }[name];
  // A null-prototype object takes new properties fast; it gets its real prototype at the end.
  const proto = Object.create(null);
  Object.defineProperty(proto, 'constructor', { value: Api, writable: true, configurable: true });
  for (const entry of entries) {
    const space = entry.indexOf(' ');
    const id = space < 0 ? entry : entry.slice(0, space);
    Object.defineProperty(proto, id, { value: METHOD[arity(entry, space)](entry), writable: true, configurable: true });
  }
  Object.setPrototypeOf(proto, Object.prototype);
  Api.prototype = proto;
  return Api;
}

/**
 * Defines every API class over a runtime client class: `new UsersApi()` uses
 * `ApiClient.instance`, `new UsersApi(client)` that client. Each method calls
 * `this.apiClient.callOperation(operationId, paramsBySpecName, opts)`. A class is built
 * when its property is first read.
 * @param {{ instance: { callOperation(operationId: string, params: object, opts?: object): Promise<any> } }} ApiClient
 */
function defineApis(ApiClient) {
  const apis = {};
  for (const name of Object.keys(API)) {
    let Api = null;
    Object.defineProperty(apis, name, {
      enumerable: true,
      get: () => Api || (Api = defineClass(name, API[name], ApiClient)),
    });
  }
  return apis;
}

module.exports = { defineApis };
"#;

pub fn emit(api: &Api, out: &mut Output) {
    let classes = class_members(api);
    let mut s = String::new();
    let _ = writeln!(s, "// {}", header_text(api));
    s.push_str("'use strict';\n\n");
    s.push_str("// Every API class as data: its methods, one string each,\n");
    s.push_str("// 'operationId positional,params|optional,params' (spec parameter names, in the order\n");
    s.push_str("// the official SDK takes them; `%`-escaped where they hold one of ` ,|:%`). An optional\n");
    s.push_str("// parameter whose `opts` key is not its spec name is written `spec:key` (`If-Match:ifMatch`).\n");
    s.push_str("const API = {\n");
    for (class, ops) in &classes {
        let _ = writeln!(s, "  {class}: [");
        for (op, _) in ops {
            let _ = writeln!(s, "    {},", js_str(&entry(op)));
        }
        s.push_str("  ],\n");
    }
    s.push_str("};\n\n");
    // One factory per number of positional parameters, so that each method has the
    // official signature (`getUser(userId, opts = {})`: `length` 1). The methods are
    // anonymous: naming 3,500 functions at run time costs a third of the build.
    let most = classes.values().flatten().map(|(op, _)| js_params(op).positional.len()).max().unwrap_or(0);
    s.push_str("const METHOD = [\n");
    for n in 0..=most {
        let args: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
        let mut params = args.clone();
        params.push("opts = {}".into());
        let _ = writeln!(
            s,
            "  (entry) => function ({}) {{ return call(this, entry, opts, [{}]); }},",
            params.join(", "),
            args.join(", ")
        );
    }
    s.push_str("];\n");
    s.push_str(DEFINE_APIS);
    out.add("bindings-node/generated/apis.js", s);
}

/// `operationId positional,params|optional,params` (see the comment in apis.js).
fn entry(op: &Operation) -> String {
    let names = js_params(op);
    let positional: Vec<String> = names.positional.iter().map(|(p, _)| table_name(&p.name)).collect();
    let mut e = op.id.clone();
    if !positional.is_empty() || !names.optional.is_empty() {
        e.push(' ');
        e.push_str(&positional.join(","));
    }
    if !names.optional.is_empty() {
        let optional: Vec<String> = names
            .optional
            .iter()
            .map(|(p, key)| {
                if *key == p.name {
                    table_name(&p.name)
                } else {
                    format!("{}:{}", table_name(&p.name), table_name(key))
                }
            })
            .collect();
        e.push('|');
        e.push_str(&optional.join(","));
    }
    e
}

/// A name in the table, with the separators and `%` percent-escaped (`decodeURIComponent`
/// undoes it).
fn table_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            ' ' | ',' | '|' | ':' | '%' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::table_name;

    #[test]
    fn table_names_escape_the_separators() {
        assert_eq!(table_name("If-Match"), "If-Match");
        assert_eq!(table_name("a b,c|d:e%f"), "a%20b%2Cc%7Cd%3Ae%25f");
    }
}
