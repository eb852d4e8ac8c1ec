//! Go: `bindings-c/go/platformclientv2/`: one file per API class (`usersapi.go`) whose
//! methods build a params map and call the hand-written runtime (`runtime.go`): `pcInvoke`,
//! `pcInvokeList`, `pcInvokeNoResult` and the `pcSet*` helpers (with `compat.go`).
//!
//! Signatures follow the official Go SDK: every parameter positional, required ones first
//! (non-body in spec order, then the body), optional ones after in spec order; optional
//! scalars are plain values. A zero value means "not set" and is not sent, except for a
//! boolean whose spec default is `true`, which is always sent.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use purecore_catalog::{Location, Operation, Param, TypeRef};

use crate::naming::{camel_ident, pascal_case, unique};
use crate::{class_members, go_header, go_models, header_text, sig, Api, Output};

pub const DIR: &str = "bindings-c/go/platformclientv2";

/// Go keywords and the identifiers the generated method bodies use.
const GO_RESERVED: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "a",
    "ctx",
    "p",
    "context",
    "time",
    "string",
    "any",
    "nil",
    "true",
    "false",
    "int",
    "bool",
    "error",
];

/// A Go parameter name: the spec name (camel-cased if needed); reserved words become
/// `var` + Name (`type` -> `varType`), as the official Go SDK does.
pub fn go_param_name(name: &str) -> String {
    let id = camel_ident(name);
    if GO_RESERVED.contains(&id.as_str()) {
        format!("var{}", pascal_case(&id))
    } else {
        id
    }
}

/// Type mapping for parameters, responses and model fields.
pub struct GoTypes {
    pub names: BTreeMap<String, String>,
}

impl GoTypes {
    /// The value type (not a pointer).
    pub fn ty(&self, t: &TypeRef) -> String {
        match t {
            TypeRef::String { format } if format.as_deref() == Some("date-time") => "time.Time".into(),
            TypeRef::String { .. } => "string".into(),
            TypeRef::Integer { format } if format.as_deref() == Some("int64") => "int64".into(),
            TypeRef::Integer { .. } => "int".into(),
            TypeRef::Number { format } if format.as_deref() == Some("float") => "float32".into(),
            TypeRef::Number { .. } => "float64".into(),
            TypeRef::Boolean => "bool".into(),
            TypeRef::Array(inner) => format!("[]{}", self.ty(inner)),
            TypeRef::Map(inner) => format!("map[string]{}", self.ty(inner)),
            TypeRef::Object => "interface{}".into(),
            TypeRef::Ref(n) => self.names.get(n).cloned().unwrap_or_else(|| "interface{}".into()),
            TypeRef::File => "[]byte".into(),
        }
    }

    /// True when the Go type mentions `time.Time`.
    pub fn uses_time(&self, t: &TypeRef) -> bool {
        self.ty(t).contains("time.Time")
    }
}

pub fn emit(api: &Api, out: &mut Output) {
    let classes = class_members(api);
    let reserved: Vec<String> =
        classes.keys().flat_map(|c| [c.clone(), format!("New{c}"), format!("New{c}WithConfig")]).collect();
    let types = GoTypes { names: go_models::model_names(api, &reserved) };
    let header = go_header(&header_text(api));
    for (class, ops) in &classes {
        let mut body = String::new();
        let _ = writeln!(body, "// {class} provides the Platform API operations of this group.");
        let _ = writeln!(body, "type {class} struct {{\n\tConfiguration *Configuration\n}}\n");
        let _ = writeln!(body, "// New{class} creates an API instance using the default configuration.");
        let _ = writeln!(
            body,
            "func New{class}() *{class} {{\n\treturn &{class}{{Configuration: GetDefaultConfiguration()}}\n}}\n"
        );
        let _ = writeln!(body, "// New{class}WithConfig creates an API instance using the provided configuration.");
        let _ = writeln!(
            body,
            "func New{class}WithConfig(config *Configuration) *{class} {{\n\treturn &{class}{{Configuration: config}}\n}}"
        );
        let mut uses_time = false;
        for (op, _) in ops {
            uses_time |= method(&mut body, &types, class, op);
        }
        let imports = if uses_time { "import (\n\t\"context\"\n\t\"time\"\n)\n\n" } else { "import \"context\"\n\n" };
        let file = format!("{header}package platformclientv2\n\n{imports}{body}");
        out.add(format!("{DIR}/{}.go", class.to_ascii_lowercase()), file);
    }
    go_models::emit(api, &types, &header, out);
    let mut registry = format!(
        "{header}package platformclientv2_test\n\n// Every API class once, for tests that walk the whole surface (the conformance sweep).\n\nimport pc \"github.com/purecore-sdk/purecore-go/platformclientv2\"\n\nfunc apiClasses(cfg *pc.Configuration) []any {{\n\treturn []any{{\n"
    );
    for class in classes.keys() {
        let _ = writeln!(registry, "\t\tpc.New{class}WithConfig(cfg),");
    }
    registry.push_str("\t}\n}\n");
    out.add(format!("{DIR}/apis_registry_test.go"), registry);
}

/// (param, Go name) in signature order.
pub fn go_params(op: &Operation) -> Vec<(&Param, String)> {
    let (pos, opt) = sig::split(op);
    let mut taken = BTreeSet::new();
    pos.into_iter().chain(opt).map(|p| (p, unique(go_param_name(&p.name), &mut taken))).collect()
}

/// Writes one method and its `WithContext` variant; returns whether `time` is used.
fn method(s: &mut String, types: &GoTypes, class: &str, op: &Operation) -> bool {
    let name = pascal_case(&op.id);
    let params = go_params(op);
    let mut uses_time = false;
    let mut sig_parts = Vec::new();
    for (p, n) in &params {
        let mut t = types.ty(&p.ty);
        if p.location == Location::Body
            && !p.required
            && !t.starts_with('[')
            && !t.starts_with("map[")
            && t != "interface{}"
        {
            t = format!("*{t}");
        }
        uses_time |= t.contains("time.Time");
        sig_parts.push(format!("{n} {t}"));
    }
    let ret_ty = op.response.as_ref().map(|t| types.ty(t));
    if let Some(r) = &ret_ty {
        uses_time |= r.contains("time.Time");
    }
    // As the official Go SDK: an array response is returned as the slice itself, any
    // other body as a pointer.
    let list_elem = match &op.response {
        Some(TypeRef::Array(inner)) => Some(types.ty(inner)),
        _ => None,
    };
    let results = match (&ret_ty, &list_elem) {
        (Some(r), Some(_)) => format!("({r}, *APIResponse, error)"),
        (Some(r), None) => format!("(*{r}, *APIResponse, error)"),
        (None, _) => "(*APIResponse, error)".into(),
    };
    let args = sig_parts.join(", ");
    let call_args: Vec<&str> = params.iter().map(|(_, n)| n.as_str()).collect();

    let _ = writeln!(s, "\n// {name} invokes {} {}", op.method, op.path);
    if op.preview {
        s.push_str("//\n// Preview: this resource may change or go away without notice.\n");
    }
    if op.deprecated {
        s.push_str("//\n// Deprecated: the Platform API marks this operation as deprecated.\n");
    }
    let _ = writeln!(s, "func (a {class}) {name}({args}) {results} {{");
    let mut ctx_args = vec!["context.Background()"];
    ctx_args.extend(call_args.iter().copied());
    let _ = writeln!(s, "\treturn a.{name}WithContext({})\n}}", ctx_args.join(", "));

    let _ = writeln!(s, "\n// {name}WithContext is {name} with a context for cancellation and deadlines.");
    if op.deprecated {
        s.push_str("//\n// Deprecated: the Platform API marks this operation as deprecated.\n");
    }
    let ctx_sig =
        if args.is_empty() { "ctx context.Context".to_string() } else { format!("ctx context.Context, {args}") };
    let _ = writeln!(s, "func (a {class}) {name}WithContext({ctx_sig}) {results} {{");
    let required: Vec<String> =
        params.iter().filter(|(p, _)| p.required).map(|(p, n)| format!("{}: {n}", go_str(&p.name))).collect();
    let _ = writeln!(s, "\tp := map[string]any{{{}}}", required.join(", "));
    for (p, n) in params.iter().filter(|(p, _)| !p.required) {
        let key = go_str(&p.name);
        let line = match (&p.ty, p.location) {
            (_, Location::Body) => format!("if {n} != nil {{\n\t\tp[{key}] = {n}\n\t}}"),
            (TypeRef::Array(_) | TypeRef::File, _) => format!("pcSetSlice(p, {key}, {n})"),
            (TypeRef::Map(_), _) => format!("pcSetMap(p, {key}, {n})"),
            (TypeRef::Object, _) => format!("if {n} != nil {{\n\t\tp[{key}] = {n}\n\t}}"),
            (TypeRef::Ref(_), _) => format!("p[{key}] = {n}"),
            (TypeRef::Boolean, _) if p.default == Some(serde_json::Value::Bool(true)) => format!("p[{key}] = {n}"),
            (TypeRef::String { format }, _) if format.as_deref() == Some("date-time") => {
                format!("pcSetTime(p, {key}, {n})")
            }
            _ => format!("pcSetScalar(p, {key}, {n})"),
        };
        let _ = writeln!(s, "\t{line}");
    }
    match (&ret_ty, &list_elem) {
        (Some(_), Some(e)) => {
            let _ = writeln!(s, "\treturn pcInvokeList[{e}](ctx, a.Configuration, {}, p)\n}}", go_str(&op.id));
        }
        (Some(r), None) => {
            let _ = writeln!(s, "\treturn pcInvoke[{r}](ctx, a.Configuration, {}, p)\n}}", go_str(&op.id));
        }
        (None, _) => {
            let _ = writeln!(s, "\treturn pcInvokeNoResult(ctx, a.Configuration, {}, p)\n}}", go_str(&op.id));
        }
    }
    uses_time
}

/// A Go string literal.
pub fn go_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}
