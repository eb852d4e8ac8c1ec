//! Go model structs, split by first letter (`models_a.go` ... `models_z.go`,
//! `models_other.go`), plus `models_compat.go`: aliases with the official Go SDK's
//! spelling (`Userentitylisting` for `UserEntityListing`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use purecore_catalog::{Model, TypeRef};

use crate::go::{go_str, GoTypes, DIR};
use crate::naming::{pascal_case, type_ident, type_names, unique};
use crate::{Api, Output};

/// Names of the hand-written runtime that a model may not take.
const RUNTIME_NAMES: &[&str] = &[
    "Configuration",
    "APIResponse",
    "APIError",
    "Invoker",
    "GetDefaultConfiguration",
    "NewConfiguration",
    "ErrNoInvoker",
    "InvokerFunc",
    "DecodeBody",
    "SDKError",
    "AuthResponse",
    "AuthorizeRequest",
    "APIClient",
    "RetryConfiguration",
    "LoggingConfiguration",
    "LoggingLevel",
    "LoggingFormat",
    "GateWayConfiguration",
    "ProxyConfiguration",
    "PathParams",
    "Auth",
    "MTLSConfiguration",
    "ProxyAgent",
    "ParseCodeRedirect",
    // the pointer helpers of compat.go
    "String",
    "Bool",
    "Int",
    "Int32",
    "Int64",
    "Float32",
    "Float64",
    "Time",
];

/// Exported Go type name of a definition: sanitised, first letter upper case.
fn go_type_ident(name: &str) -> String {
    let s = type_ident(name);
    let mut cs = s.chars();
    match cs.next() {
        Some('_') | None => format!("X{s}"),
        Some(f) => format!("{}{}", f.to_ascii_uppercase(), cs.as_str()),
    }
}

/// Definition name -> Go type name; `reserved` holds the API class and constructor names.
pub fn model_names(api: &Api, reserved: &[String]) -> BTreeMap<String, String> {
    let mut all: Vec<&str> = RUNTIME_NAMES.to_vec();
    all.extend(reserved.iter().map(String::as_str));
    type_names(api.models.iter().map(|m| m.name.clone()), go_type_ident, &all)
}

/// (Go field name, property) for each property: PascalCase of the wire name, made unique.
fn fields(m: &Model) -> Vec<(String, &purecore_catalog::Property)> {
    // The methods every model has may not be field names.
    let mut taken: BTreeSet<String> = ["SetField", "MarshalJSON"].iter().map(|s| s.to_string()).collect();
    m.properties.iter().map(|p| (unique(pascal_case(&p.name), &mut taken), p)).collect()
}

/// The field type: a pointer to the value type, except for free-form values (`interface{}`).
fn field_type(types: &GoTypes, t: &TypeRef) -> String {
    match t {
        TypeRef::Object => "interface{}".into(),
        TypeRef::String { format } if format.as_deref() != Some("date-time") => "*string".into(),
        other => format!("*{}", types.ty(other)),
    }
}

pub fn emit(api: &Api, types: &GoTypes, header: &str, out: &mut Output) {
    let mut files: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for m in &api.models {
        let name = &types.names[&m.name];
        let first = name.chars().next().map(|c| c.to_ascii_lowercase()).unwrap_or('_');
        let file = if first.is_ascii_lowercase() { format!("models_{first}.go") } else { "models_other.go".into() };
        let (body, uses_time) = files.entry(file).or_default();
        if name == &m.name {
            let _ = writeln!(body, "\n// {name} is the Platform API model {name}.");
        } else {
            let _ = writeln!(body, "\n// {name} is the Platform API model {:?}.", m.name);
        }
        let _ = writeln!(body, "type {name} struct {{");
        let rows: Vec<[String; 4]> = fields(m)
            .into_iter()
            .map(|(f, p)| {
                let ty = field_type(types, &p.ty);
                let tag = format!("`json:{}`", go_str(&format!("{},omitempty", p.name)));
                let note = if p.read_only { "// read-only".to_string() } else { String::new() };
                [f, ty, tag, note]
            })
            .collect();
        *uses_time |= rows.iter().any(|r| r[1].contains("time.Time"));
        body.push_str(&gofmt_rows(&rows));
        if !rows.is_empty() {
            body.push('\n');
        }
        body.push_str("\tpcFields *pcModelFields // set through SetField\n}\n");
        // SetField and MarshalJSON, as the official Go SDK's models have them (the
        // work is done by pcSetField and pcMarshalModel in the hand-written compat.go).
        let _ = writeln!(
            body,
            "\n// SetField sets a field by its Go name; a nil fieldValue sends an explicit null.\nfunc (o *{name}) SetField(field string, fieldValue interface{{}}) {{\n\tpcSetField(o, &o.pcFields, field, fieldValue)\n}}"
        );
        let _ = writeln!(
            body,
            "\n// MarshalJSON also sends the fields set to nil through SetField, as nulls.\nfunc (o {name}) MarshalJSON() ([]byte, error) {{\n\ttype plain {name}\n\treturn pcMarshalModel(plain(o), o.pcFields)\n}}"
        );
    }
    for (file, (body, uses_time)) in files {
        let imports = if uses_time { "import \"time\"\n" } else { "" };
        let sep = if uses_time { "\n" } else { "" };
        out.add(
            format!("{DIR}/{file}"),
            format!("{header}package platformclientv2\n\n{imports}{sep}{}", body.trim_start()),
        );
    }
    out.add(format!("{DIR}/models_compat.go"), compat(types, header));
}

/// Struct field lines aligned as gofmt aligns them (text/tabwriter semantics: a column is
/// aligned over runs of consecutive lines that have a cell after it).
fn gofmt_rows(rows: &[[String; 4]]) -> String {
    let cells: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| {
            let mut c: Vec<&str> = r.iter().map(String::as_str).collect();
            while c.last().is_some_and(|x| x.is_empty()) {
                c.pop();
            }
            c
        })
        .collect();
    let mut widths = vec![vec![0usize; 4]; cells.len()];
    for col in 0..3 {
        let mut i = 0;
        while i < cells.len() {
            if cells[i].len() <= col + 1 {
                i += 1;
                continue;
            }
            let start = i;
            while i < cells.len() && cells[i].len() > col + 1 {
                i += 1;
            }
            let w = cells[start..i].iter().map(|c| c[col].len()).max().unwrap_or(0);
            for row in widths.iter_mut().take(i).skip(start) {
                row[col] = w;
            }
        }
    }
    let mut out = String::new();
    for (c, w) in cells.iter().zip(&widths) {
        out.push('\t');
        for (col, cell) in c.iter().enumerate() {
            out.push_str(cell);
            if col + 1 < c.len() {
                out.push_str(&" ".repeat(w[col] - cell.len() + 1));
            }
        }
        out.push('\n');
    }
    out
}

/// Aliases spelled as the official Go SDK spells models (first letter upper case, the rest
/// lower case), so code written against it compiles. Skipped where that spelling is already
/// a type here or two definitions would share it.
fn compat(types: &GoTypes, header: &str) -> String {
    let taken: BTreeSet<&str> = types.names.values().map(String::as_str).collect();
    let mut by_alias: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for go_name in types.names.values() {
        let alias: String = go_name
            .chars()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_alphanumeric())
            .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        if alias != *go_name && !alias.is_empty() {
            by_alias.entry(alias).or_default().push(go_name);
        }
    }
    let mut s =
        format!("{header}package platformclientv2\n\n// Aliases with the official Go SDK's model spelling.\n\n");
    let reserved: BTreeSet<&str> = RUNTIME_NAMES.iter().copied().collect();
    let mut lines = String::new();
    for (alias, targets) in &by_alias {
        if let [target] = targets.as_slice() {
            if !taken.contains(alias.as_str()) && !reserved.contains(alias.as_str()) && !alias.ends_with("Api") {
                let _ = writeln!(lines, "type {alias} = {target}");
            }
        }
    }
    s.push_str(&lines);
    s
}
