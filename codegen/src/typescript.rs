//! `bindings-node/generated/index.d.ts`: declarations of every API class and method, one
//! options interface per operation, and every model as an interface in `Models`.
//!
//! The file is written compactly (it ships in the npm package): no per-method comments
//! (only deprecated and preview operations get a one-line note), `T[]`, one line per
//! options interface, a private alias for the open-enum tail, no `export` inside the
//! namespaces (members of an ambient namespace are exported anyway), and repeated model
//! shapes and enum unions referred to (see `models`). `export {}` at the end keeps the
//! alias out of the module's exports. Every change keeps the types identical.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use purecore_catalog::{Operation, TypeRef};

use crate::naming::{type_ident, type_names};
use crate::node::{js_params, js_str};
use crate::{class_members, header_text, Api, Output};

/// The alias that ends every enum union: any other string, so values the API adds later
/// stay legal while editors still offer the listed ones.
const OPEN: &str = "Str";

/// Names used unqualified in the declarations; a model may not take them (inside
/// `namespace Models` a model of that name would shadow them).
const TS_RESERVED: &[&str] =
    &["Array", "Record", "Promise", "Uint8Array", "Exclude", "Models", "OperationCaller", "CallOptions", OPEN];

struct Ts {
    names: BTreeMap<String, String>,
    /// `Models.` outside the Models namespace, empty inside it.
    prefix: &'static str,
}

impl Ts {
    fn ty(&self, t: &TypeRef) -> String {
        match t {
            TypeRef::String { .. } => "string".into(),
            TypeRef::Integer { .. } | TypeRef::Number { .. } => "number".into(),
            TypeRef::Boolean => "boolean".into(),
            TypeRef::Array(inner) => format!("{}[]", self.ty(inner)),
            TypeRef::Map(inner) => format!("Record<string, {}>", self.ty(inner)),
            TypeRef::Object => "Record<string, unknown>".into(),
            TypeRef::Ref(name) => match self.names.get(name) {
                Some(n) => format!("{}{n}", self.prefix),
                None => "Record<string, unknown>".into(),
            },
            TypeRef::File => "Uint8Array".into(),
        }
    }

    /// Enums are literal unions that still accept any string (`Str`), so values added to
    /// the API later stay legal.
    fn ty_enum(&self, t: &TypeRef, values: &[String]) -> String {
        if values.is_empty() {
            return self.ty(t);
        }
        let union = || {
            let mut parts: Vec<String> = values.iter().map(|v| js_str(v)).collect();
            parts.push(OPEN.into());
            parts.join(" | ")
        };
        match t {
            TypeRef::String { .. } => union(),
            TypeRef::Array(inner) if matches!(**inner, TypeRef::String { .. }) => format!("({})[]", union()),
            _ => self.ty(t),
        }
    }
}

/// A property key: bare when it is an identifier, quoted otherwise.
fn ts_key(s: &str) -> String {
    crate::node::js_key(s)
}

/// Model name -> TypeScript interface name.
pub fn ts_model_names(api: &Api) -> BTreeMap<String, String> {
    type_names(api.models.iter().map(|m| m.name.clone()), type_ident, TS_RESERVED)
}

pub fn emit(api: &Api, out: &mut Output) {
    let names = ts_model_names(api);
    let ts = Ts { names: names.clone(), prefix: "Models." };
    let mut s = String::new();
    let _ = writeln!(s, "// {}", header_text(api));
    s.push_str("/* eslint-disable */\n\n");
    s.push_str("/** What the generated API classes need from the runtime client. */\n");
    s.push_str("export interface OperationCaller {\n");
    s.push_str("  callOperation(operationId: string, params: Record<string, unknown>, opts?: CallOptions): Promise<unknown>;\n");
    s.push_str("}\n\n");
    s.push_str("/** What every method's `opts` takes besides the operation's optional parameters. */\n");
    s.push_str("export interface CallOptions {\n  customHeaders?: Record<string, string>;\n}\n\n");
    s.push_str("/** The end of every enum union: any other string, as the API may add values later. */\n");
    let _ = writeln!(s, "type {OPEN} = string & {{}};");
    for (class, ops) in class_members(api) {
        let _ = writeln!(s, "\nexport declare class {class} {{");
        s.push_str("  apiClient: OperationCaller;\n  constructor(apiClient?: OperationCaller);\n");
        for (op, _) in &ops {
            method(&mut s, &ts, &class, op);
        }
        s.push_str("}\n");
        let _ = writeln!(s, "export declare namespace {class} {{");
        for (op, _) in &ops {
            options(&mut s, &ts, op);
        }
        s.push_str("}\n");
    }
    models(&mut s, api, &Ts { names, prefix: "" });
    s.push_str("\nexport {};\n");
    out.add("bindings-node/generated/index.d.ts", s);
}

/// The options interface lives in the namespace of the class being written (an operation
/// with two tags gets a copy in each class). Without optional parameters the method takes
/// `CallOptions` (`customHeaders`).
fn method(s: &mut String, ts: &Ts, class: &str, op: &Operation) {
    let names = js_params(op);
    match (op.deprecated, op.preview) {
        (true, true) => s.push_str("  /** @deprecated Preview: may change or go away without notice. */\n"),
        (true, false) => s.push_str("  /** @deprecated */\n"),
        (false, true) => s.push_str("  /** Preview: may change or go away without notice. */\n"),
        (false, false) => {}
    }
    let mut args: Vec<String> =
        names.positional.iter().map(|(p, id)| format!("{id}: {}", ts.ty_enum(&p.ty, &p.enum_values))).collect();
    if names.optional.is_empty() {
        args.push("opts?: CallOptions".into());
    } else {
        args.push(format!("opts?: {class}.{}Options", op.id));
    }
    let ret = match &op.response {
        Some(t) => ts.ty(t),
        None => "void".into(),
    };
    let _ = writeln!(s, "  {}({}): Promise<{ret}>;", op.id, args.join(", "));
}

/// `interface getUserOptions extends CallOptions { expand?: ...; }` on one line. As in the
/// official SDK, only operations with optional parameters have one.
fn options(s: &mut String, ts: &Ts, op: &Operation) {
    let names = js_params(op);
    if names.optional.is_empty() {
        return;
    }
    let _ = write!(s, "  interface {}Options extends CallOptions {{", op.id);
    for (p, key) in &names.optional {
        let _ = write!(s, " {}?: {};", ts_key(key), ts.ty_enum(&p.ty, &p.enum_values));
    }
    s.push_str(" }\n");
}

/// The `Models` namespace. Two ways to say the same types in fewer bytes:
/// - a model with the same properties as an earlier one extends it (`interface B extends A {}`:
///   about 1,300 of the 6,600 models);
/// - an enum union already written for an earlier property is referred to as
///   `Exclude<A['prop'], undefined>` when that is shorter (editors show the union).
fn models(s: &mut String, api: &Api, ts: &Ts) {
    s.push_str("\nexport declare namespace Models {\n");
    let mut bodies: HashMap<String, &str> = HashMap::new();
    let mut unions: HashMap<String, String> = HashMap::new();
    for m in &api.models {
        let name = ts.names[&m.name].as_str();
        let props: Vec<(String, String)> =
            m.properties.iter().map(|p| (p.name.clone(), ts.ty_enum(&p.ty, &p.enum_values))).collect();
        let mut body = String::new();
        for (prop, ty) in &props {
            let _ = writeln!(body, " {}?: {ty};", ts_key(prop));
        }
        if let Some(first) = bodies.get(&body) {
            if first.len() + 10 < body.len() {
                let _ = writeln!(s, "interface {name} extends {first} {{}}");
                continue;
            }
        }
        let _ = writeln!(s, "interface {name} {{");
        for (prop, ty) in &props {
            let mut shown = ty;
            if ty.ends_with(OPEN) || ty.ends_with(&format!("{OPEN})[]")) {
                match unions.entry(ty.clone()) {
                    Entry::Occupied(first) if first.get().len() < ty.len() => shown = first.into_mut(),
                    Entry::Occupied(_) => {}
                    Entry::Vacant(v) => {
                        v.insert(format!("Exclude<{name}[{}], undefined>", js_str(prop)));
                    }
                }
            }
            let _ = writeln!(s, " {}?: {shown};", ts_key(prop));
        }
        s.push_str("}\n");
        bodies.entry(body).or_insert(name);
    }
    s.push_str("}\n");
}
