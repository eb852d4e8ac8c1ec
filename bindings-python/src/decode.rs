//! Reply bodies straight to model objects: the JSON is parsed on the thread
//! that waited for the reply (without the GIL), and the objects are built from
//! the parsed tree with the GIL, the way `models._from_wire` builds them.
//!
//! Only replies this can turn into exactly what `json.loads` followed by
//! `_from_wire` gives are taken; for anything else (no response type, a text
//! type, a body that is not JSON, numbers `json.loads` would read differently)
//! the facade decodes the body itself, as before.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value with its object members in document order (as `json.loads` keeps them).
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// The body of `response` parsed for [`to_python`], or None when the facade
/// should decode it (see the module documentation).
pub fn parse(response: &purecore::Response, response_type: Option<&str>) -> Option<Json> {
    let ty = response_type?;
    if ty.starts_with("string") || !response.header("content-type").unwrap_or("json").contains("json") {
        return None;
    }
    serde_json::from_slice(&response.body).ok()
}

/// `value` as the Python object of type `ty` (`#Model`, `[T]`, `{T}` or a plain type).
pub fn to_python(py: Python<'_>, value: &Json, ty: &str) -> PyResult<Py<PyAny>> {
    match (ty.as_bytes().first(), value) {
        (Some(b'#'), Json::Object(members)) => model(py, &ty[1..], members),
        (Some(b'['), Json::Array(items)) => {
            let inner = &ty[1..ty.len() - 1];
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item, inner)?)?;
            }
            Ok(list.into_any().unbind())
        }
        (Some(b'{'), Json::Object(members)) => {
            let inner = &ty[1..ty.len() - 1];
            let dict = PyDict::new(py);
            for (key, item) in members {
                dict.set_item(key, to_python(py, item, inner)?)?;
            }
            Ok(dict.into_any().unbind())
        }
        _ => plain(py, value),
    }
}

/// What `json.loads` gives for `value`.
fn plain(py: Python<'_>, value: &Json) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Json::Null => py.None(),
        Json::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Json::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        Json::UInt(u) => u.into_pyobject(py)?.into_any().unbind(),
        Json::Float(f) => f.into_pyobject(py)?.into_any().unbind(),
        Json::Str(s) => PyString::new(py, s).into_any().unbind(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(plain(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Json::Object(members) => {
            let dict = PyDict::new(py);
            for (key, item) in members {
                dict.set_item(key, plain(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A model class and its fields by wire name: `(attribute name, type)`.
struct ModelClass {
    class: Py<PyAny>,
    by_wire: HashMap<String, (Py<PyString>, String)>,
}

static CLASSES: OnceLock<Mutex<HashMap<String, Arc<ModelClass>>>> = OnceLock::new();
static MODEL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn model_class(py: Python<'_>, name: &str) -> PyResult<Arc<ModelClass>> {
    let classes = CLASSES.get_or_init(Default::default);
    if let Some(found) = classes.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
        return Ok(found.clone());
    }
    let make = MODEL.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("purecore._generated.models")?.getattr("_model")?.unbind())
    })?;
    let class = make.bind(py).call1((name,))?;
    let mut by_wire = HashMap::new();
    for field in class.getattr(intern!(py, "_fields"))?.try_iter()? {
        let (attr, wire, ty): (Bound<'_, PyString>, String, String) = field?.extract()?;
        by_wire.insert(wire, (attr.unbind(), ty));
    }
    let found = Arc::new(ModelClass { class: class.unbind(), by_wire });
    classes.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_owned(), found.clone());
    Ok(found)
}

/// `Model.from_dict`: members that are null or unknown are left out.
fn model(py: Python<'_>, name: &str, members: &[(String, Json)]) -> PyResult<Py<PyAny>> {
    let class = model_class(py, name)?;
    let cls = class.class.bind(py);
    let obj = cls.call_method1(intern!(py, "__new__"), PyTuple::new(py, [cls])?)?;
    let attrs = obj.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?;
    for (wire, value) in members {
        if matches!(value, Json::Null) {
            continue;
        }
        if let Some((attr, ty)) = class.by_wire.get(wire) {
            let v = if matches!(ty.as_bytes().first(), Some(b'#' | b'[' | b'{')) {
                to_python(py, value, ty)?
            } else {
                plain(py, value)?
            };
            attrs.set_item(attr.bind(py), v)?;
        }
    }
    Ok(obj.unbind())
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

/// Integers beyond 64 bits reach the visitor as floats; `json.loads` keeps
/// them exact, so a whole float this large (about `i64::MAX`) sends the body
/// back to the facade.
const EXACT_FLOAT_LIMIT: f64 = 9.2e18;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Json, E> {
        Ok(Json::Int(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Json, E> {
        Ok(Json::UInt(u))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Json, E> {
        if f.fract() == 0.0 && f.abs() >= EXACT_FLOAT_LIMIT {
            return Err(E::custom("a whole number too large to read as json.loads does"));
        }
        Ok(Json::Float(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::Str(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Json, E> {
        Ok(Json::Str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(member) = map.next_entry::<String, Json>()? {
            members.push(member);
        }
        Ok(Json::Object(members))
    }
}
