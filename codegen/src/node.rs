//! `bindings-node/generated/apis.js`: `defineApis(ApiClient, table)` returning every API class.
//!
//! The file holds the class names, one method factory per number of positional parameters
//! and the code that builds a class; the methods of each class come from the addon's
//! operation catalog (`Catalog::js_api_table`, read once, when the first class is built), so
//! the package does not carry the operation table twice. Each method calls
//! `this.apiClient.callOperation(operationId, params, opts)` where the keys of `params` are
//! the spec parameter names; the runtime ignores keys whose value is `undefined`.

use std::collections::BTreeSet;
use std::fmt::Write;

use purecore_catalog::sdk::js_option_keys;
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
    let keys = js_option_keys(&opt);
    let optional = opt.into_iter().zip(keys).collect();
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

/// The runtime half of `apis.js`, after the class names and the per-arity method factories.
const DEFINE_APIS: &str = r#"
const decode = (name) => (name.includes('%') ? decodeURIComponent(name) : name);
const parsed = new Map();

// `(operationId) => {params: [{name, location}]}`, from `defineApis`: tells whether a lone
// positional parameter is the body (see `named`).
let describe = null;

/**
 * Whether the one argument of a call is the required parameters by name with the options
 * (`getUser({ userId, expand })`) rather than the first positional parameter: a plain
 * object holding every required parameter's name, when the first required parameter is not
 * the body (an object itself). The body is always the last required parameter, so only an
 * operation with one required parameter needs to ask the catalog where it goes.
 */
function named(op, value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  if (!op.positional.every((p) => p in value)) return false;
  if (op.positional.length > 1) return true;
  if (op.lone === undefined) {
    const info = describe && describe(op.id);
    const param = info && info.params.find((p) => p.name === op.positional[0]);
    op.lone = param ? param.location : 'body';
  }
  return op.lone !== 'body';
}

/**
 * Calls the operation of a table entry; the entry is parsed on its first call. `argc` is
 * how many arguments the method was given.
 */
function call(api, entry, opts, args, argc) {
  let op = parsed.get(entry);
  if (!op) {
    const [id, rest = ''] = entry.split(' ');
    const [pos, opt] = rest.split('|');
    op = {
      id,
      positional: pos ? pos.split(',').map(decode) : [],
      optional: opt ? opt.split(',').map((p) => p.split(':').map(decode)) : [],
      lone: undefined,
    };
    parsed.set(entry, op);
  }
  if (argc === 1 && op.positional.length > 0 && named(op, args[0])) {
    opts = args[0];
    args = op.positional.map((p) => opts[p]);
  }
  // `null` (or any non-object) for the options means none.
  const o = opts !== null && typeof opts === 'object' ? opts : {};
  const params = {};
  for (let i = 0; i < op.positional.length; i++) params[op.positional[i]] = args[i];
  for (const [spec, key = spec] of op.optional) params[spec] = o[key];
  return api.apiClient.callOperation(op.id, params, o);
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

/** The addon's table read into class name -> entries. */
function readTable(text) {
  const classes = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [name, ...entries] = line.split('\t');
    classes.set(name, entries);
  }
  return classes;
}

function skew(what) {
  return new Error(`purecore: ${what}: the native addon and generated/apis.js come from different builds; reinstall the package`);
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
    const method = METHOD[arity(entry, space)];
    if (!method) throw skew(`${name}.${id} takes more parameters than this file knows`);
    Object.defineProperty(proto, id, { value: method(entry), writable: true, configurable: true });
  }
  Object.setPrototypeOf(proto, Object.prototype);
  Api.prototype = proto;
  return Api;
}

/**
 * Defines every API class over a runtime client class: `new UsersApi()` uses
 * `ApiClient.instance`, `new UsersApi(client)` that client. Each method calls
 * `this.apiClient.callOperation(operationId, paramsBySpecName, opts)`. A class is built
 * when its property is first read, from `table()`: the addon's `apiTable()` (called once,
 * when the first class is built).
 * A method given one plain object holding every required parameter by name takes it as
 * the parameters and options (`getUser({ userId, expand })`); `paramsOf(operationId)` (the
 * addon's `operation`) says whether a lone required parameter is the body, which is never
 * read that way.
 * @param {{ instance: { callOperation(operationId: string, params: object, opts?: object): Promise<any> } }} ApiClient
 * @param {() => string} table
 * @param {(operationId: string) => { params: { name: string, location: string }[] }} [paramsOf]
 */
function defineApis(ApiClient, table, paramsOf) {
  if (paramsOf) describe = paramsOf;
  let classes = null;
  const entriesOf = (name) => {
    if (!classes) classes = readTable(table());
    const entries = classes.get(name);
    if (!entries) throw skew(`the addon has no ${name}`);
    return entries;
  };
  const apis = {};
  for (const name of NAMES) {
    let Api = null;
    Object.defineProperty(apis, name, {
      enumerable: true,
      get: () => Api || (Api = defineClass(name, entriesOf(name), ApiClient)),
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
    s.push_str("// Every API class. Their methods come from the addon's operation catalog, one string\n");
    s.push_str("// each: 'operationId positional,params|optional,params' (see `defineApis`).\n");
    s.push_str("const NAMES = [\n");
    for class in classes.keys() {
        let _ = writeln!(s, "  {},", js_str(class));
    }
    s.push_str("];\n\n");
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
            "  (entry) => function ({}) {{ return call(this, entry, opts, [{}], arguments.length); }},",
            params.join(", "),
            args.join(", ")
        );
    }
    s.push_str("];\n");
    s.push_str(DEFINE_APIS);
    out.add("bindings-node/generated/apis.js", s);
}
