//! `bindings-node/generated/index.d.ts`: declarations of every API class and method, one
//! options interface per operation, and every model as an interface in `Models`.

use std::collections::BTreeMap;
use std::fmt::Write;

use purecore_catalog::{Operation, TypeRef};

use crate::naming::{type_ident, type_names};
use crate::node::{js_params, js_str};
use crate::{class_members, header_text, Api, Output};

/// Names used unqualified in the declarations; a model may not take them.
const TS_RESERVED: &[&str] = &["Array", "Record", "Promise", "Uint8Array", "Models", "OperationCaller"];

struct Ts {
    names: BTreeMap<String, String>,
}

impl Ts {
    fn ty(&self, t: &TypeRef) -> String {
        match t {
            TypeRef::String { .. } => "string".into(),
            TypeRef::Integer { .. } | TypeRef::Number { .. } => "number".into(),
            TypeRef::Boolean => "boolean".into(),
            TypeRef::Array(inner) => format!("Array<{}>", self.ty(inner)),
            TypeRef::Map(inner) => format!("Record<string, {}>", self.ty(inner)),
            TypeRef::Object => "Record<string, unknown>".into(),
            TypeRef::Ref(name) => match self.names.get(name) {
                Some(n) => format!("Models.{n}"),
                None => "Record<string, unknown>".into(),
            },
            TypeRef::File => "Uint8Array".into(),
        }
    }

    /// Enums are literal unions that still accept any string (`(string & {})`), so values
    /// added to the API later stay legal.
    fn ty_enum(&self, t: &TypeRef, values: &[String]) -> String {
        if values.is_empty() {
            return self.ty(t);
        }
        let union = || {
            let mut parts: Vec<String> = values.iter().map(|v| js_str(v)).collect();
            parts.push("(string & {})".into());
            parts.join(" | ")
        };
        match t {
            TypeRef::String { .. } => union(),
            TypeRef::Array(inner) if matches!(**inner, TypeRef::String { .. }) => format!("Array<{}>", union()),
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
    let ts = Ts { names: ts_model_names(api) };
    let mut s = String::new();
    let _ = writeln!(s, "// {}", header_text(api));
    s.push_str("/* eslint-disable */\n\n");
    s.push_str("/** What the generated API classes need from the runtime client. */\n");
    s.push_str("export interface OperationCaller {\n");
    s.push_str("  callOperation(operationId: string, params: Record<string, unknown>, opts?: { customHeaders?: Record<string, string> }): Promise<unknown>;\n");
    s.push_str("}\n");
    for (class, ops) in class_members(api) {
        let _ = writeln!(s, "\nexport declare class {class} {{");
        s.push_str("  apiClient: OperationCaller;\n  constructor(apiClient?: OperationCaller);\n");
        for (op, _) in &ops {
            method(&mut s, &ts, &class, op);
        }
        s.push_str("}\n");
        let _ = writeln!(s, "\nexport declare namespace {class} {{");
        for (op, _) in &ops {
            options(&mut s, &ts, op);
        }
        s.push_str("}\n");
    }
    s.push_str("\nexport declare namespace Models {\n");
    for m in &api.models {
        let name = &ts.names[&m.name];
        let _ = writeln!(s, "  export interface {name} {{");
        for p in &m.properties {
            let _ = writeln!(s, "    {}?: {};", ts_key(&p.name), ts.ty_enum(&p.ty, &p.enum_values));
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    out.add("bindings-node/generated/index.d.ts", s);
}

/// The options interface lives in the namespace of the class being written (an operation
/// with two tags gets a copy in each class).
fn method(s: &mut String, ts: &Ts, class: &str, op: &Operation) {
    let names = js_params(op);
    s.push_str("  /**\n");
    let _ = writeln!(s, "   * {} {}", op.method, op.path);
    if op.preview {
        s.push_str("   * Preview: this resource may change or go away without notice.\n");
    }
    if op.deprecated {
        s.push_str("   * @deprecated\n");
    }
    s.push_str("   */\n");
    let mut args: Vec<String> =
        names.positional.iter().map(|(p, id)| format!("{id}: {}", ts.ty_enum(&p.ty, &p.enum_values))).collect();
    args.push(format!("opts?: {class}.{}Options", op.id));
    let ret = match &op.response {
        Some(t) => ts.ty(t),
        None => "void".into(),
    };
    let _ = writeln!(s, "  {}({}): Promise<{ret}>;", op.id, args.join(", "));
}

fn options(s: &mut String, ts: &Ts, op: &Operation) {
    let names = js_params(op);
    let _ = writeln!(s, "  export interface {}Options {{", op.id);
    for (p, key) in &names.optional {
        let _ = writeln!(s, "    {}?: {};", ts_key(key), ts.ty_enum(&p.ty, &p.enum_values));
    }
    s.push_str("    customHeaders?: Record<string, string>;\n  }\n");
}
