//! Python: `bindings-python/python/purecore/_generated/`.
//!
//! - one module per API class (`users_api.py`: `class UsersApi`, snake_case methods that
//!   check their keyword arguments and call `self.api_client.call_operation(id, params)`;
//!   params are keyed by spec name, `None` values mean "not given");
//! - `__init__.py`: class name -> module, imported on first attribute access;
//! - `.pyi` stubs for every API module, `__init__`, and the models (`models.pyi`);
//! - `models.py` + `_models.json`: model classes built lazily from metadata.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use purecore_catalog::{Operation, Param, TypeRef};

use crate::naming::{snake_case, unique};
use crate::{class_members, header_text, python_models, sig, Api, Output};

pub const DIR: &str = "bindings-python/python/purecore/_generated";

/// Python keywords (and names the generated methods use themselves).
pub const PY_RESERVED: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "self", "kwargs",
];

/// A snake_case Python identifier for a spec name; reserved words get a leading `_`
/// (`from` -> `_from`), as the official Python SDK does.
pub fn py_ident(name: &str) -> String {
    let mut s = snake_case(name);
    if PY_RESERVED.contains(&s.as_str()) {
        s.insert(0, '_');
    }
    s
}

/// The module of an API class: `TelephonyProvidersEdgeApi` -> `telephony_providers_edge_api`.
pub fn module_name(class: &str) -> String {
    snake_case(class)
}

/// (param, python name) for positional and keyword parameters.
pub struct PyParams<'a> {
    pub positional: Vec<(&'a Param, String)>,
    pub keyword: Vec<(&'a Param, String)>,
}

pub fn py_params(op: &Operation) -> PyParams<'_> {
    let (pos, opt) = sig::split(op);
    let mut taken = BTreeSet::new();
    let mut name = |p: &Param| unique(py_ident(&p.name), &mut taken);
    let positional = pos.into_iter().map(|p| (p, name(p))).collect();
    let keyword = opt.into_iter().map(|p| (p, name(p))).collect();
    PyParams { positional, keyword }
}

/// A Python string literal.
pub fn py_str(s: &str) -> String {
    crate::naming::single_quoted(s)
}

/// The type of a value in the stubs; `m` maps definition names to model class names.
pub fn py_type(t: &TypeRef, m: &BTreeMap<String, String>) -> String {
    match t {
        TypeRef::String { .. } => "str".into(),
        TypeRef::Integer { .. } => "int".into(),
        TypeRef::Number { .. } => "float".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Array(inner) => format!("_t.List[{}]", py_type(inner, m)),
        TypeRef::Map(inner) => format!("_t.Dict[str, {}]", py_type(inner, m)),
        TypeRef::Object => "_t.Dict[str, _t.Any]".into(),
        TypeRef::Ref(n) => match m.get(n) {
            Some(c) => format!("_m.{c}"),
            None => "_t.Dict[str, _t.Any]".into(),
        },
        TypeRef::File => "_t.Union[bytes, str]".into(),
    }
}

pub fn emit(api: &Api, out: &mut Output) -> Result<(), serde_json::Error> {
    let header = format!("# {}\n", header_text(api));
    let models = python_models::model_names(api);
    let classes = class_members(api);
    // __init__.py: lazy class -> module map.
    let mut init = header.clone();
    init.push_str("\"\"\"Generated API classes, each imported on first use; models are in `.models`.\"\"\"\n\n");
    init.push_str("import importlib as _importlib\n\n_MODULES = {\n");
    for class in classes.keys() {
        let _ = writeln!(init, "    {}: {},", py_str(class), py_str(&module_name(class)));
    }
    init.push_str("}\n\n__all__ = [\n");
    for class in classes.keys() {
        let _ = writeln!(init, "    {},", py_str(class));
    }
    init.push_str("]\n\n\n");
    init.push_str(INIT_FUNCS);
    out.add(format!("{DIR}/__init__.py"), init);

    let mut init_stub = header.clone();
    for class in classes.keys() {
        let _ = writeln!(init_stub, "from .{} import {class} as {class}", module_name(class));
    }
    init_stub.push_str("from . import models as models\n\n__all__ = [\n");
    for class in classes.keys() {
        let _ = writeln!(init_stub, "    {},", py_str(class));
    }
    init_stub.push_str("]\n");
    out.add(format!("{DIR}/__init__.pyi"), init_stub);

    out.add(format!("{DIR}/_support.py"), format!("{header}{SUPPORT}"));

    for (class, ops) in &classes {
        let module = module_name(class);
        let mut py = header.clone();
        let mut pyi = header.clone();
        let _ = writeln!(py, "\"\"\"{class}: generated API class.\"\"\"\n");
        let any_deprecated = ops.iter().any(|(op, _)| op.deprecated);
        if any_deprecated {
            py.push_str("import warnings as _warnings\n\n");
        }
        py.push_str("from ._support import check_kwargs as _check_kwargs\n\n\n");
        let _ = writeln!(py, "class {class}:");
        let _ = writeln!(py, "    \"\"\"Operations of the Platform API, grouped as the official SDKs do.\"\"\"\n");
        py.push_str("    def __init__(self, api_client=None):\n        self.api_client = api_client\n");

        pyi.push_str(STUB_PRELUDE);
        let _ = writeln!(pyi, "class {class}(_t.Generic[_C]):");
        let _ = write!(
            pyi,
            "    api_client: _C\n    @_t.overload\n    def __init__(self: {class}[_Sync], api_client: _t.Optional[_Sync] = ...) -> None: ...\n    @_t.overload\n    def __init__(self: {class}[_Async], api_client: _Async) -> None: ...\n    @_t.overload\n    def __init__(self: {class}[_Platform], api_client: _Platform) -> None: ...\n"
        );
        for (op, _) in ops {
            method(&mut py, op);
            stub(&mut pyi, class, op, &models);
        }
        out.add(format!("{DIR}/{module}.py"), py);
        out.add(format!("{DIR}/{module}.pyi"), pyi);
    }
    python_models::emit(api, &models, &header, out)
}

fn doc_lines(op: &Operation) -> Vec<String> {
    let mut lines = vec![format!("{} {}", op.method, op.path)];
    if op.preview {
        lines.push("Preview: this resource may change or go away without notice.".into());
    }
    if op.deprecated {
        lines.push("Deprecated: calling it emits a DeprecationWarning.".into());
    }
    lines
}

fn docstring(s: &mut String, lines: &[String], indent: &str) {
    if let [one] = lines {
        let _ = writeln!(s, "{indent}\"\"\"{one}\"\"\"");
        return;
    }
    let _ = writeln!(s, "{indent}\"\"\"{}\n", lines[0]);
    for l in &lines[1..] {
        let _ = writeln!(s, "{indent}{l}");
    }
    let _ = writeln!(s, "{indent}\"\"\"");
}

fn method(s: &mut String, op: &Operation) {
    let names = py_params(op);
    let py_name = snake_case(&op.id);
    let mut args = vec!["self".to_string()];
    args.extend(names.positional.iter().map(|(_, n)| n.clone()));
    args.push("**kwargs".into());
    let _ = writeln!(s, "\n    def {py_name}({}):", args.join(", "));
    docstring(s, &doc_lines(op), "        ");
    if op.deprecated {
        let _ = writeln!(
            s,
            "        _warnings.warn({}, DeprecationWarning, stacklevel=2)",
            py_str(&format!("{py_name} is deprecated"))
        );
    }
    let allowed: Vec<String> = names.keyword.iter().map(|(_, n)| py_str(n)).collect();
    let allowed = match allowed.len() {
        0 => "()".to_string(),
        1 => format!("({},)", allowed[0]),
        _ => format!("({})", allowed.join(", ")),
    };
    let _ = writeln!(s, "        _check_kwargs({}, kwargs, {allowed})", py_str(&py_name));
    let mut fields: Vec<String> = names.positional.iter().map(|(p, n)| format!("{}: {n}", py_str(&p.name))).collect();
    fields.extend(names.keyword.iter().map(|(p, n)| format!("{}: kwargs.get({})", py_str(&p.name), py_str(n))));
    let _ = writeln!(s, "        return self.api_client.call_operation({}, {{{}}})", py_str(&op.id), fields.join(", "));
}

/// Three overloads per method, chosen by the client the API object was made
/// with: an `ApiClient` returns the value, an `AsyncApiClient` an awaitable, the
/// tutorial's `PureCloudPlatformClientV2` an `ApiResponse` whose `body` is the value.
fn stub(s: &mut String, class: &str, op: &Operation, models: &BTreeMap<String, String>) {
    let names = py_params(op);
    let mut args = Vec::new();
    args.extend(names.positional.iter().map(|(p, n)| format!("{n}: {}", py_type(&p.ty, models))));
    if !names.keyword.is_empty() {
        args.push("*".into());
        args.extend(names.keyword.iter().map(|(p, n)| format!("{n}: _t.Optional[{}] = ...", py_type(&p.ty, models))));
    }
    let args = args.iter().map(|a| format!(", {a}")).collect::<String>();
    let ret = op.response.as_ref().map_or("None".to_string(), |t| py_type(t, models));
    let name = snake_case(&op.id);
    let _ = writeln!(s, "    @_t.overload\n    def {name}(self: {class}[_Sync]{args}) -> {ret}:");
    docstring(s, &doc_lines(op), "        ");
    let _ = writeln!(s, "    @_t.overload\n    def {name}(self: {class}[_Async]{args}) -> _t.Awaitable[{ret}]: ...");
    let _ = writeln!(s, "    @_t.overload\n    def {name}(self: {class}[_Platform]{args}) -> _Resp[{ret}]: ...");
}

/// The head of every API stub: the client type an API object is bound to.
const STUB_PRELUDE: &str = "import typing as _t

import typing_extensions as _te

from . import models as _m
from ..api_client import ApiClient as _Sync, AsyncApiClient as _Async
from ..platform_client import ApiResponse as _Resp, PureCloudPlatformClientV2 as _Platform

# A bare `UsersApi` annotation means the blocking kind (PEP 696 default).
_C = _te.TypeVar(\"_C\", _Sync, _Async, _Platform, default=_Sync)


";

const INIT_FUNCS: &str = r#"def __getattr__(name):
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = getattr(_importlib.import_module("." + module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_MODULES))
"#;

const SUPPORT: &str = r#""""Helpers shared by the generated API classes."""


def check_kwargs(method, kwargs, allowed):
    """Raise TypeError naming the first keyword argument the method does not take."""
    for key in kwargs:
        if key not in allowed:
            raise TypeError("Got an unexpected keyword argument '%s' to method %s" % (key, method))
"#;
