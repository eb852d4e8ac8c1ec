//! `bindings-node/generated/apis.js`: `defineApis(ApiClient)` returning every API class.
//!
//! Each method calls `this.apiClient.callOperation(operationId, params, opts)` where the
//! keys of `params` are the spec parameter names; the runtime ignores keys whose value is
//! `undefined`.

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

pub fn emit(api: &Api, out: &mut Output) {
    let classes = class_members(api);
    let mut s = String::new();
    let _ = writeln!(s, "// {}", header_text(api));
    s.push_str("'use strict';\n\n");
    s.push_str("/**\n * Defines every API class over a runtime client class.\n");
    s.push_str(" * @param {{ instance: { callOperation(operationId: string, params: object, opts?: object): Promise<any> } }} ApiClient\n");
    s.push_str(" */\nfunction defineApis(ApiClient) {\n");
    for (class, ops) in &classes {
        let _ = writeln!(s, "  class {class} {{");
        s.push_str("    constructor(apiClient) {\n      this.apiClient = apiClient || ApiClient.instance;\n    }\n");
        for (op, _) in ops {
            method(&mut s, op);
        }
        s.push_str("  }\n\n");
    }
    s.push_str("  return {\n");
    for class in classes.keys() {
        let _ = writeln!(s, "    {class},");
    }
    s.push_str("  };\n}\n\nmodule.exports = { defineApis };\n");
    out.add("bindings-node/generated/apis.js", s);
}

fn method(s: &mut String, op: &Operation) {
    let names = js_params(op);
    s.push_str("\n    /**\n");
    let _ = writeln!(s, "     * {} {}", op.method, op.path);
    if op.preview {
        s.push_str("     * Preview: this resource may change or go away without notice.\n");
    }
    if op.deprecated {
        s.push_str("     * @deprecated\n");
    }
    s.push_str("     */\n");
    let mut args: Vec<String> = names.positional.iter().map(|(_, id)| id.clone()).collect();
    args.push("opts = {}".to_string());
    let mut fields: Vec<String> = names.positional.iter().map(|(p, id)| format!("{}: {id}", js_key(&p.name))).collect();
    fields.extend(names.optional.iter().map(|(p, key)| format!("{}: opts[{}]", js_key(&p.name), js_str(key))));
    let params = if fields.is_empty() { "{}".to_string() } else { format!("{{ {} }}", fields.join(", ")) };
    let _ = writeln!(s, "    {}({}) {{", op.id, args.join(", "));
    let _ = writeln!(s, "      return this.apiClient.callOperation({}, {params}, opts);", js_str(&op.id));
    s.push_str("    }\n");
}
