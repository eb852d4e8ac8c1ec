//! Python models: `models.pyi` (re-exporting a typed stub per model from `_models_<letter>.pyi`), `models.py` (classes built on first
//! use) and `_models.json` (per model: python attribute, wire name, type).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use purecore_catalog::{Model, TypeRef};
use serde::Serialize;

use crate::naming::{type_ident, type_names, unique};
use crate::python::{py_ident, py_type, DIR};
use crate::{header_text, Api, Output};

/// Names a model class may not take (Python constants, the base class, the stub's imports).
const RESERVED: &[&str] = &["None", "True", "False", "Model"];
/// Attribute names the base class uses.
const ATTR_RESERVED: &[&str] = &["to_dict", "from_dict", "to_json"];

/// Definition name -> Python class name.
pub fn model_names(api: &Api) -> BTreeMap<String, String> {
    type_names(api.models.iter().map(|m| m.name.clone()), type_ident, RESERVED)
}

/// (python attribute, property) for each property of a model.
fn attributes(m: &Model) -> Vec<(String, &purecore_catalog::Property)> {
    let mut taken: BTreeSet<String> = ATTR_RESERVED.iter().map(|s| s.to_string()).collect();
    // Exact snake_case spellings first, so a sanitised name never takes a natural one.
    let natural: Vec<String> = m.properties.iter().map(|p| py_ident(&p.name)).collect();
    let mut names = vec![String::new(); m.properties.len()];
    for (i, n) in natural.iter().enumerate() {
        if !taken.contains(n) && m.properties.iter().filter(|p| py_ident(&p.name) == *n).count() == 1 {
            taken.insert(n.clone());
            names[i] = n.clone();
        }
    }
    for (i, n) in natural.into_iter().enumerate() {
        if names[i].is_empty() {
            names[i] = unique(n, &mut taken);
        }
    }
    names.into_iter().zip(m.properties.iter()).collect()
}

/// A type with definition names replaced by Python class names (for `_models.json`).
fn rename(t: &TypeRef, m: &BTreeMap<String, String>) -> TypeRef {
    match t {
        TypeRef::Ref(n) => TypeRef::Ref(m.get(n).cloned().unwrap_or_else(|| n.clone())),
        TypeRef::Array(i) => TypeRef::Array(Box::new(rename(i, m))),
        TypeRef::Map(i) => TypeRef::Map(Box::new(rename(i, m))),
        other => other.clone(),
    }
}

#[derive(Serialize)]
struct MetaModel {
    /// The definition (wire) name, when it differs from the class name.
    #[serde(rename = "n", skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// [python attribute, wire name, type]
    #[serde(rename = "p")]
    props: Vec<(String, String, TypeRef)>,
}

#[derive(Serialize)]
struct MetaFile {
    #[serde(rename = "_generated")]
    generated: String,
    models: BTreeMap<String, MetaModel>,
}

pub fn emit(
    api: &Api,
    names: &BTreeMap<String, String>,
    header: &str,
    out: &mut Output,
) -> Result<(), serde_json::Error> {
    let mut meta = BTreeMap::new();
    // The stubs are split the way the Go models are, by the class name's first letter
    // (`_models_a.pyi` ... `_models_z.pyi`); `models.pyi` re-exports them all. Each refers to
    // sibling models through the `models` module, like the API stubs do.
    let mut base = header.to_string();
    base.push_str("import typing as _t\n\n_T = _t.TypeVar(\"_T\", bound=\"Model\")\n\n\n");
    base.push_str("class Model:\n");
    base.push_str("    def __init__(self, **kwargs: _t.Any) -> None: ...\n");
    base.push_str("    def to_dict(self) -> _t.Dict[str, _t.Any]: ...\n");
    base.push_str("    def to_json(self, **kwargs: _t.Any) -> str: ...\n");
    base.push_str("    @classmethod\n    def from_dict(cls: _t.Type[_T], data: _t.Dict[str, _t.Any]) -> _T: ...\n");
    out.add(format!("{DIR}/_model.pyi"), base);
    let mut parts: BTreeMap<char, String> = BTreeMap::new();
    for m in &api.models {
        let class = &names[&m.name];
        let letter = class.chars().next().map_or('_', |c| c.to_ascii_lowercase());
        let letter = if letter.is_ascii_alphabetic() { letter } else { '_' };
        let pyi = parts.entry(letter).or_insert_with(|| {
            format!("{header}import typing as _t\n\nfrom . import models as _m\nfrom ._model import Model\n")
        });
        let attrs = attributes(m);
        let _ = writeln!(pyi, "\n\nclass {class}(Model):");
        if attrs.is_empty() {
            pyi.push_str("    def __init__(self) -> None: ...\n");
        } else {
            for (a, p) in &attrs {
                let _ = writeln!(pyi, "    {a}: _t.Optional[{}]", py_type(&p.ty, names));
            }
            let args: Vec<String> =
                attrs.iter().map(|(a, p)| format!("{a}: _t.Optional[{}] = ...", py_type(&p.ty, names))).collect();
            let _ = writeln!(pyi, "    def __init__(self, *, {}) -> None: ...", args.join(", "));
        }
        meta.insert(
            class.clone(),
            MetaModel {
                name: (class != &m.name).then(|| m.name.clone()),
                props: attrs.iter().map(|(a, p)| (a.clone(), p.name.clone(), rename(&p.ty, names))).collect(),
            },
        );
    }
    let mut pyi = header.to_string();
    pyi.push_str("\"\"\"Every model's stub; the classes are in _models_<letter>.pyi.\"\"\"\n\n");
    pyi.push_str("from ._model import Model as Model\n");
    for (letter, text) in parts {
        let _ = writeln!(pyi, "from ._models_{letter} import *");
        out.add(format!("{DIR}/_models_{letter}.pyi"), text);
    }
    let file = MetaFile { generated: header_text(api), models: meta };
    out.add(format!("{DIR}/_models.json"), serde_json::to_string(&file)? + "\n");
    out.add(format!("{DIR}/models.pyi"), pyi);
    out.add(format!("{DIR}/models.py"), format!("{header}{MODELS_PY}"));
    Ok(())
}

const MODELS_PY: &str = r##""""Model classes, each created on first use from the metadata in _models.json.

    from purecore._generated import models
    user = models.User.from_dict({"id": "x", "selfUri": "/api/v2/users/x"})
    user.self_uri          # attributes are snake_case
    user.to_dict()         # back to wire names
"""

import json as _json
import os as _os

_DATA = None
_CLASSES = {}


def _data():
    global _DATA
    if _DATA is None:
        path = _os.path.join(_os.path.dirname(__file__), "_models.json")
        with open(path, encoding="utf-8") as f:
            _DATA = _json.load(f)["models"]
    return _DATA


def _to_wire(value):
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_wire(v) for k, v in value.items()}
    return value


def _from_wire(value, ty):
    if value is None:
        return None
    if ty.startswith("#") and isinstance(value, dict):
        return _model(ty[1:]).from_dict(value)
    if ty.startswith("[") and isinstance(value, list):
        return [_from_wire(v, ty[1:-1]) for v in value]
    if ty.startswith("{") and isinstance(value, dict):
        return {k: _from_wire(v, ty[1:-1]) for k, v in value.items()}
    return value


class Model:
    """Base of the generated models: keyword construction, to_dict(), to_json() and from_dict()."""

    _fields = ()
    _by_wire = {}

    def __init__(self, **kwargs):
        known = {f[0] for f in self._fields}
        for key in kwargs:
            if key not in known:
                raise TypeError("%s() got an unexpected keyword argument '%s'" % (type(self).__name__, key))
        for name, _, _ in self._fields:
            setattr(self, name, kwargs.get(name))

    def to_dict(self):
        """The wire (JSON) form; attributes that are None are left out."""
        out = {}
        for name, wire, _ in self._fields:
            value = getattr(self, name, None)
            if value is not None:
                out[wire] = _to_wire(value)
        return out

    def to_json(self, **kwargs):
        """The wire form as JSON text (json.dumps keyword arguments pass through)."""
        return _json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, data):
        """Builds the model from its wire form; unknown keys are ignored.

        Only the keys present are visited: absent attributes read as the
        class-level None, so a large model with a small reply stays cheap.
        """
        obj = cls.__new__(cls)
        attrs = obj.__dict__
        by_wire = cls._by_wire
        for wire, value in data.items():
            field = by_wire.get(wire)
            if field is not None and value is not None:
                name, ty = field
                attrs[name] = _from_wire(value, ty) if ty[0] in "#[{" else value
        return obj

    def __eq__(self, other):
        return type(self) is type(other) and self.to_dict() == other.to_dict()

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.to_dict())


def _model(name):
    cls = _CLASSES.get(name)
    if cls is None:
        spec = _data().get(name)
        if spec is None:
            raise AttributeError("module %r has no attribute %r" % (__name__, name))
        fields = tuple(tuple(p) for p in spec["p"])
        body = {f[0]: None for f in fields}
        body.update(_fields=fields, _by_wire={f[1]: (f[0], f[2]) for f in fields}, __module__=__name__)
        cls = type(name, (Model,), body)
        _CLASSES[name] = cls
    return cls


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return _model(name)
"##;
