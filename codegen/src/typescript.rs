//! `bindings-node/generated/index.d.ts`: declarations of every API class and method, one
//! options interface per operation, and every model as an interface in `Models`.
//!
//! The file is written compactly (it ships in the npm package): no per-method comments
//! (only deprecated and preview operations get a one-line note), `T[]`, one line per
//! options interface, each model on one line without optional spaces, a private alias for
//! the open-enum tail, no `export` inside the namespaces (members of an ambient namespace
//! are exported anyway), and repeated model shapes and enum unions referred to (see
//! `models`). `export {}` at the end keeps the alias out of the module's exports. Every
//! change keeps the types identical (checked by type-identity assertions, old against new,
//! under `tsc --strict`).

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
    /// Inside the Models namespace: no optional spaces (`'a'|'b'`, `Record<string,T>`).
    compact: bool,
}

impl Ts {
    fn ty(&self, t: &TypeRef) -> String {
        match t {
            TypeRef::String { .. } => "string".into(),
            TypeRef::Integer { .. } | TypeRef::Number { .. } => "number".into(),
            TypeRef::Boolean => "boolean".into(),
            TypeRef::Array(inner) => format!("{}[]", self.ty(inner)),
            TypeRef::Map(inner) if self.compact => format!("Record<string,{}>", self.ty(inner)),
            TypeRef::Map(inner) => format!("Record<string, {}>", self.ty(inner)),
            TypeRef::Object if self.compact => "Record<string,unknown>".into(),
            TypeRef::Object => "Record<string, unknown>".into(),
            TypeRef::Ref(name) => match self.names.get(name) {
                Some(n) => format!("{}{n}", self.prefix),
                None => self.ty(&TypeRef::Object),
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
            parts.join(if self.compact { "|" } else { " | " })
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
    let ts = Ts { names: names.clone(), prefix: "Models.", compact: false };
    let mut s = String::new();
    let _ = writeln!(s, "// {}", header_text(api));
    s.push_str("/* eslint-disable */\n\n");
    s.push_str("/** What the generated API classes need from the runtime client. */\n");
    s.push_str("export interface OperationCaller {\n");
    s.push_str("  callOperation(operationId: string, params: Record<string, unknown>, opts?: CallOptions): Promise<unknown>;\n");
    s.push_str("}\n\n");
    s.push_str("/** What every method's `opts` takes besides the operation's optional parameters. */\n");
    s.push_str(concat!(
        "export interface CallOptions {\n  customHeaders?: Record<string, string>;\n",
        "  /** Stops the call when it fires: the promise rejects with an `AbortError`. */\n",
        "  signal?: AbortSignal;\n}\n\n"
    ));
    s.push_str(
        "/** What a method resolves to through a client whose `returnExtended` is `true` (a `PlatformClient`). */\n",
    );
    s.push_str("export interface ResponseOf<T> {\n  status: number;\n  statusText: string;\n  headers: Record<string, string>;\n  body: T;\n}\n\n");
    s.push_str("/** The end of every enum union: any other string, as the API may add values later. */\n");
    let _ = writeln!(s, "type {OPEN} = string & {{}};");
    s.push_str("/** A method's result: the body, or the response around it for a client whose `returnExtended` is `true`. */\n");
    s.push_str("type Reply<C, T> = Promise<C extends { returnExtended: true } ? ResponseOf<T> : T>;\n");
    for (class, ops) in class_members(api) {
        let _ = writeln!(s, "\nexport declare class {class}<C extends OperationCaller = OperationCaller> {{");
        s.push_str("  apiClient: C;\n  constructor(apiClient?: C);\n");
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
    models(&mut s, api, &Ts { names, prefix: "", compact: true });
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
    let _ = writeln!(s, "  {}({}): Reply<C, {ret}>;", op.id, args.join(", "));
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

/// The `Models` namespace, each model on one line without optional spaces
/// (`interface A{x?:string;y?:B[]}`; about 6,600 models, 33,000 properties). Three ways to
/// say the same types in fewer bytes:
/// - a model with the same properties as an earlier one extends it (`interface B extends A{}`);
/// - a model with all the properties of another and more extends the one that saves most,
///   and lists only the others (`interface B extends A{z?:number}`): the members, and so the
///   type, are the same;
/// - an enum union already written for an earlier property is referred to as
///   `Exclude<A['prop'], undefined>` when that is shorter (editors show the union).
fn models(s: &mut String, api: &Api, ts: &Ts) {
    s.push_str("\nexport declare namespace Models {\n");
    // Each property as `key?:type`, with the enum unions written out (so equal lines are equal types).
    let props: Vec<Vec<String>> = api
        .models
        .iter()
        .map(|m| {
            m.properties.iter().map(|p| format!("{}?:{}", ts_key(&p.name), ts.ty_enum(&p.ty, &p.enum_values))).collect()
        })
        .collect();
    let bases = bases(&props, |j| " extends ".len() + ts.names[&api.models[j].name].len());
    let mut unions: HashMap<String, String> = HashMap::new();
    for (i, m) in api.models.iter().enumerate() {
        let name = ts.names[&m.name].as_str();
        let base = bases[i].map(|b| (b, ts.names[&api.models[b].name].as_str()));
        let inherited: &[String] = base.map_or(&[], |(b, _)| &props[b]);
        let _ = match base {
            Some((_, base)) => write!(s, "interface {name} extends {base}{{"),
            None => write!(s, "interface {name}{{"),
        };
        let mut first = true;
        for (p, line) in m.properties.iter().zip(&props[i]) {
            if inherited.contains(line) {
                continue;
            }
            let ty = ts.ty_enum(&p.ty, &p.enum_values);
            let mut shown = &ty;
            if ty.ends_with(OPEN) || ty.ends_with(&format!("{OPEN})[]")) {
                match unions.entry(ty.clone()) {
                    Entry::Occupied(first) if first.get().len() < ty.len() => shown = first.into_mut(),
                    Entry::Occupied(_) => {}
                    Entry::Vacant(v) => {
                        v.insert(format!("Exclude<{name}[{}],undefined>", js_str(&p.name)));
                    }
                }
            }
            if !first {
                s.push(';');
            }
            first = false;
            let _ = write!(s, "{}?:{shown}", ts_key(&p.name));
        }
        s.push_str("}\n");
    }
    s.push_str("}\n");
}

/// For each model, the model it extends, if any: one whose properties (`key?:type` lines)
/// are all among its own and that saves the most bytes, when that is more than `cost(base)`
/// (` extends Name`). A base has fewer properties, or as many and comes earlier, so no model
/// extends itself through others. A line index finds the candidates.
fn bases(props: &[Vec<String>], cost: impl Fn(usize) -> usize) -> Vec<Option<usize>> {
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, own) in props.iter().enumerate() {
        for line in own {
            holders.entry(line.as_str()).or_default().push(j);
        }
    }
    let mut hits: Vec<usize> = vec![0; props.len()];
    let mut touched = Vec::new();
    (0..props.len())
        .map(|i| {
            for line in &props[i] {
                for &j in &holders[line.as_str()] {
                    if hits[j] == 0 {
                        touched.push(j);
                    }
                    hits[j] += 1;
                }
            }
            let smaller = |j: usize| (props[j].len(), j) < (props[i].len(), i);
            // Bytes saved by extending j: its properties and their separators, less ` extends j`.
            let saved = |j: usize| props[j].iter().map(|l| l.len() + 1).sum::<usize>() as isize - cost(j) as isize;
            let best = touched
                .iter()
                .copied()
                .filter(|&j| !props[j].is_empty() && hits[j] == props[j].len() && smaller(j))
                .map(|j| (saved(j), std::cmp::Reverse(j)))
                .max()
                .filter(|&(saved, _)| saved > 0)
                .map(|(_, std::cmp::Reverse(j))| j);
            for j in touched.drain(..) {
                hits[j] = 0;
            }
            best
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::bases;

    #[test]
    fn a_model_extends_the_earlier_model_that_saves_most() {
        let lines = |ls: &[&str]| ls.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        let props = [
            lines(&["id?:string", "name?:string"]),
            lines(&["id?:string", "name?:string", "selfUri?:string", "version?:number"]),
            lines(&["id?:string", "name?:string", "selfUri?:string", "version?:number", "state?:string"]),
            lines(&["id?:string", "name?:number"]),
            lines(&[]),
        ];
        // No base saves more than ` extends X` costs here...
        assert_eq!(bases(&props, |_| 100), [None, None, None, None, None]);
        // ...with a cheap name: the largest subset (earlier or later), never a model with a
        // different type, never a larger one.
        assert_eq!(bases(&props, |_| 5), [None, Some(0), Some(1), None, None]);
        let later_base = [props[2].clone(), props[0].clone(), props[0].clone()];
        assert_eq!(bases(&later_base, |_| 5), [Some(1), None, Some(1)]);
    }
}
