//! Schemas and definitions: Swagger schema objects to `TypeRef`, definitions to `Model`s.

use std::collections::{BTreeMap, HashSet};

use purecore_catalog::{Model, Property, TypeRef};
use serde_json::{Map, Value};

use crate::diag::{kind, JPath, SpecError, Warnings};

const DEF_PREFIX: &str = "#/definitions/";

/// The `definitions` of a spec, with the knowledge of which ones are models (objects with
/// properties) and which are aliases of a plain type (e.g. a string enum).
pub struct Defs<'a> {
    defs: &'a Map<String, Value>,
}

impl<'a> Defs<'a> {
    /// Checks that every definition is an object. `defs` is `$.definitions`.
    pub fn new(defs: &'a Map<String, Value>) -> Result<Defs<'a>, SpecError> {
        let base = JPath::root().key("definitions");
        for (name, d) in defs {
            if !d.is_object() {
                return Err(SpecError::at(&base.key(name), format!("expected an object, found {}", kind(d))));
            }
        }
        Ok(Defs { defs })
    }

    fn def(&self, name: &str) -> Option<&'a Map<String, Value>> {
        self.defs.get(name).and_then(Value::as_object)
    }

    /// A definition becomes a model when it is an object type (with or without properties).
    pub fn is_model(&self, name: &str) -> bool {
        self.def(name).is_some_and(is_model_schema)
    }

    /// The definition name of a `$ref` (which must resolve).
    fn ref_target(&self, v: &Value, at: &JPath) -> Result<&'a str, SpecError> {
        let Some(text) = v.as_str() else {
            return Err(SpecError::at(at, format!("expected a string, found {}", kind(v))));
        };
        let Some(name) = text.strip_prefix(DEF_PREFIX) else {
            return Err(SpecError::at(
                at,
                format!("$ref {text:?} does not resolve: only \"#/definitions/...\" is supported here"),
            ));
        };
        match self.defs.get_key_value(name) {
            Some((key, _)) => Ok(key.as_str()),
            None => Err(SpecError::at(at, format!("$ref {text:?} does not resolve: no definition {name:?}"))),
        }
    }

    /// Converts a schema object to a type.
    pub fn type_of(&self, schema: &Value, at: &JPath, warn: &mut Warnings) -> Result<TypeRef, SpecError> {
        self.type_inner(schema, at, warn, 0)
    }

    fn type_inner(&self, schema: &Value, at: &JPath, warn: &mut Warnings, depth: usize) -> Result<TypeRef, SpecError> {
        if depth > 64 {
            return Err(SpecError::at(at, "schema nests too deep (a cycle of aliases?)"));
        }
        let Some(obj) = schema.as_object() else {
            return Err(SpecError::at(at, format!("expected a schema object, found {}", kind(schema))));
        };
        if let Some(r) = obj.get("$ref") {
            let name = self.ref_target(r, &at.key("$ref"))?;
            if self.is_model(name) {
                return Ok(TypeRef::Ref(name.to_string()));
            }
            // An alias of a plain type: inline it.
            let target = &self.defs[name];
            let target_at = JPath::root().key("definitions").key(name);
            return self.type_inner(target, &target_at, warn, depth + 1);
        }
        if let Some(all) = obj.get("allOf") {
            let parts = all
                .as_array()
                .ok_or_else(|| SpecError::at(&at.key("allOf"), format!("expected an array, found {}", kind(all))))?;
            if let [only] = parts.as_slice() {
                return self.type_inner(only, &at.key("allOf").index(0), warn, depth + 1);
            }
            for (i, part) in parts.iter().enumerate() {
                self.type_inner(part, &at.key("allOf").index(i), warn, depth + 1)?;
            }
            return Ok(TypeRef::Object);
        }
        let ty = match obj.get("type") {
            None => None,
            Some(Value::String(t)) => Some(t.as_str()),
            Some(other) => {
                return Err(SpecError::at(&at.key("type"), format!("expected a string, found {}", kind(other))));
            }
        };
        let format = match obj.get("format") {
            None => None,
            Some(Value::String(f)) => Some(f.clone()),
            Some(other) => {
                return Err(SpecError::at(&at.key("format"), format!("expected a string, found {}", kind(other))));
            }
        };
        Ok(match ty {
            Some("string") => TypeRef::String { format },
            Some("integer") => TypeRef::Integer { format },
            Some("number") => TypeRef::Number { format },
            Some("boolean") => TypeRef::Boolean,
            Some("file") => TypeRef::File,
            Some("array") => TypeRef::Array(Box::new(self.items(obj, at, warn, depth)?)),
            Some("object") | None => {
                if ty.is_none() && obj.contains_key("items") {
                    TypeRef::Array(Box::new(self.items(obj, at, warn, depth)?))
                } else {
                    match obj.get("additionalProperties") {
                        Some(Value::Bool(true)) => TypeRef::Map(Box::new(TypeRef::Object)),
                        Some(ap @ Value::Object(_)) if !obj.contains_key("properties") => TypeRef::Map(Box::new(
                            self.type_inner(ap, &at.key("additionalProperties"), warn, depth + 1)?,
                        )),
                        _ => TypeRef::Object,
                    }
                }
            }
            Some(other) => {
                return Err(SpecError::at(
                    &at.key("type"),
                    format!("expected one of string|integer|number|boolean|array|object|file, found {other:?}"),
                ));
            }
        })
    }

    fn items(
        &self,
        obj: &Map<String, Value>,
        at: &JPath,
        warn: &mut Warnings,
        depth: usize,
    ) -> Result<TypeRef, SpecError> {
        match obj.get("items") {
            Some(items) => self.type_inner(items, &at.key("items"), warn, depth + 1),
            None => {
                warn.add(at, "array without items; items are taken as free-form");
                Ok(TypeRef::Object)
            }
        }
    }

    /// All definitions that are models, sorted by name.
    pub fn models(&self, warn: &mut Warnings) -> Result<Vec<Model>, SpecError> {
        let mut out = Vec::new();
        for name in self.defs.keys() {
            if self.is_model(name) {
                out.push(self.model(name, warn)?);
            }
        }
        Ok(out)
    }

    fn model(&self, name: &str, warn: &mut Warnings) -> Result<Model, SpecError> {
        let at = JPath::root().key("definitions").key(name);
        let mut props = BTreeMap::new();
        let mut required = Vec::new();
        let mut seen = HashSet::new();
        self.collect(name, &at, &mut props, &mut required, &mut seen)?;
        let mut properties = Vec::with_capacity(props.len());
        for (prop_name, (schema, prop_at)) in props {
            let ty = self.type_of(schema, &prop_at, warn)?;
            let read_only = match schema.get("readOnly") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    warn.add(&prop_at.key("readOnly"), format!("expected a boolean, found {}; ignored", kind(other)));
                    false
                }
            };
            let enum_values = enum_of(schema, &prop_at, warn)?;
            properties.push(Property { name: prop_name, ty, read_only, enum_values });
        }
        let mut req = Vec::new();
        for (r, r_at) in required {
            if properties.iter().any(|p| p.name == r) {
                if !req.contains(&r) {
                    req.push(r);
                }
            } else {
                warn.add(&r_at, format!("required property {r:?} is not among the properties; ignored"));
            }
        }
        Ok(Model { name: name.to_string(), properties, required: req })
    }

    /// Gathers properties and required names of a definition, following `allOf`.
    #[allow(clippy::type_complexity)]
    fn collect(
        &self,
        name: &str,
        at: &JPath,
        props: &mut BTreeMap<String, (&'a Value, JPath)>,
        required: &mut Vec<(String, JPath)>,
        seen: &mut HashSet<String>,
    ) -> Result<(), SpecError> {
        if !seen.insert(name.to_string()) {
            return Ok(());
        }
        let Some(def) = self.def(name) else { return Ok(()) };
        self.collect_schema(def, at, props, required, seen)
    }

    #[allow(clippy::type_complexity)]
    fn collect_schema(
        &self,
        obj: &'a Map<String, Value>,
        at: &JPath,
        props: &mut BTreeMap<String, (&'a Value, JPath)>,
        required: &mut Vec<(String, JPath)>,
        seen: &mut HashSet<String>,
    ) -> Result<(), SpecError> {
        if let Some(all) = obj.get("allOf") {
            let parts = all
                .as_array()
                .ok_or_else(|| SpecError::at(&at.key("allOf"), format!("expected an array, found {}", kind(all))))?;
            for (i, part) in parts.iter().enumerate() {
                let part_at = at.key("allOf").index(i);
                let part_obj = part.as_object().ok_or_else(|| {
                    SpecError::at(&part_at, format!("expected a schema object, found {}", kind(part)))
                })?;
                if let Some(r) = part_obj.get("$ref") {
                    let target = self.ref_target(r, &part_at.key("$ref"))?;
                    let target_at = JPath::root().key("definitions").key(target);
                    self.collect(target, &target_at, props, required, seen)?;
                } else {
                    self.collect_schema(part_obj, &part_at, props, required, seen)?;
                }
            }
        }
        if let Some(p) = obj.get("properties") {
            let p_at = at.key("properties");
            let map =
                p.as_object().ok_or_else(|| SpecError::at(&p_at, format!("expected an object, found {}", kind(p))))?;
            for (k, v) in map {
                props.insert(k.clone(), (v, p_at.key(k)));
            }
        }
        if let Some(r) = obj.get("required") {
            let r_at = at.key("required");
            let list = r
                .as_array()
                .ok_or_else(|| SpecError::at(&r_at, format!("expected an array of strings, found {}", kind(r))))?;
            for (i, item) in list.iter().enumerate() {
                let Some(s) = item.as_str() else {
                    return Err(SpecError::at(&r_at.index(i), format!("expected a string, found {}", kind(item))));
                };
                required.push((s.to_string(), r_at.index(i)));
            }
        }
        Ok(())
    }
}

fn is_model_schema(d: &Map<String, Value>) -> bool {
    if d.contains_key("properties") || d.contains_key("allOf") {
        return true;
    }
    match d.get("type").and_then(Value::as_str) {
        Some("object") => !d.contains_key("additionalProperties"),
        None => !d.contains_key("$ref") && !d.contains_key("items") && !d.contains_key("additionalProperties"),
        Some(_) => false,
    }
}

/// The `enum` of a schema (or of its `items` for arrays), as strings.
pub fn enum_of(schema: &Value, at: &JPath, warn: &mut Warnings) -> Result<Vec<String>, SpecError> {
    let (values, e_at) = match schema.get("enum") {
        Some(v) => (v, at.key("enum")),
        None => match schema.get("items").and_then(|i| i.get("enum")) {
            Some(v) => (v, at.key("items").key("enum")),
            None => return Ok(Vec::new()),
        },
    };
    let Some(list) = values.as_array() else {
        return Err(SpecError::at(&e_at, format!("expected an array, found {}", kind(values))));
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Number(_) | Value::Bool(_) => out.push(v.to_string()),
            Value::Null => {}
            other => warn.add(&e_at.index(i), format!("enum value is {}; ignored", kind(other))),
        }
    }
    Ok(out)
}
