//! Paths and operations: parameters, responses, security, media types.

use std::collections::BTreeMap;

use purecore_catalog::{CollectionFormat, Location, Operation, Paging, Param, TypeRef};
use serde_json::{Map, Value};

use super::schema::{enum_of, Defs};
use crate::diag::{kind, JPath, SpecError, Warnings};
use crate::naming::{class_name, is_plain_ident};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

struct Ctx<'a> {
    root: &'a Map<String, Value>,
    defs: &'a Defs<'a>,
}

/// Reads `$.paths`: every operation, sorted by id.
pub fn read_paths(root: &Map<String, Value>, defs: &Defs, warn: &mut Warnings) -> Result<Vec<Operation>, SpecError> {
    let at = JPath::root().key("paths");
    let paths = match root.get("paths") {
        Some(Value::Object(p)) => p,
        Some(other) => return Err(SpecError::at(&at, format!("expected an object, found {}", kind(other)))),
        None => return Err(SpecError::at(&at, "missing: a Swagger 2.0 document needs paths")),
    };
    let ctx = Ctx { root, defs };
    let mut ops: BTreeMap<String, (Operation, JPath)> = BTreeMap::new();
    for (path, item) in paths {
        let item_at = at.key(path);
        let Some(item) = item.as_object() else {
            return Err(SpecError::at(&item_at, format!("expected an object, found {}", kind(item))));
        };
        if !path.starts_with('/') {
            warn.add(&item_at, "path does not start with '/'");
        }
        let shared = match item.get("parameters") {
            None => &[][..],
            Some(Value::Array(a)) => a.as_slice(),
            Some(other) => {
                return Err(SpecError::at(
                    &item_at.key("parameters"),
                    format!("expected an array, found {}", kind(other)),
                ));
            }
        };
        for (key, op) in item {
            let op_at = item_at.key(key);
            if METHODS.contains(&key.as_str()) {
                let op = ctx.operation(path, key, op, &op_at, shared, &item_at.key("parameters"), warn)?;
                if let Some((_, first)) = ops.get(&op.id) {
                    return Err(SpecError::at(
                        &op_at,
                        format!("duplicate method name {:?} (also used at {first})", op.id),
                    ));
                }
                ops.insert(op.id.clone(), (op, op_at));
            } else if key != "parameters" && !key.starts_with("x-") {
                warn.add(&op_at, format!("unsupported path item key {key:?}; ignored"));
            }
        }
    }
    Ok(ops.into_values().map(|(op, _)| op).collect())
}

fn opt_bool(obj: &Map<String, Value>, key: &str, at: &JPath) -> Result<Option<bool>, SpecError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(SpecError::at(&at.key(key), format!("expected a boolean, found {}", kind(other)))),
    }
}

fn string_list(v: &Value, at: &JPath) -> Result<Vec<String>, SpecError> {
    let Some(list) = v.as_array() else {
        return Err(SpecError::at(at, format!("expected an array of strings, found {}", kind(v))));
    };
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_str()
                .map(str::to_string)
                .ok_or_else(|| SpecError::at(&at.index(i), format!("expected a string, found {}", kind(s))))
        })
        .collect()
}

/// The `{name}` placeholders of a path template.
pub fn placeholders(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(n, _)| n)).collect()
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn operation(
        &self,
        path: &str,
        method: &str,
        op: &Value,
        at: &JPath,
        shared: &[Value],
        shared_at: &JPath,
        warn: &mut Warnings,
    ) -> Result<Operation, SpecError> {
        let Some(obj) = op.as_object() else {
            return Err(SpecError::at(at, format!("expected an object, found {}", kind(op))));
        };
        let mut tags = match obj.get("tags") {
            Some(t) => string_list(t, &at.key("tags"))?,
            None => Vec::new(),
        };
        if tags.is_empty() {
            warn.add(at, "operation has no tags; put in DefaultApi");
            tags.push("Default".to_string());
        }
        let class = class_name(&tags[0])
            .ok_or_else(|| SpecError::at(&at.key("tags").index(0), format!("tag {:?} gives no class name", tags[0])))?;
        let id = self.method_name(obj, at)?;
        let deprecated = opt_bool(obj, "deprecated", at)?.unwrap_or(false);
        let preview = matches!(obj.get("x-genesys-preview"), Some(Value::Bool(true)));

        // Path-level parameters first, overridden by operation-level ones with the same name and location.
        let mut params: Vec<(Param, JPath)> = Vec::new();
        let own_at = at.key("parameters");
        let own = match obj.get("parameters") {
            None => &[][..],
            Some(Value::Array(a)) => a.as_slice(),
            Some(other) => return Err(SpecError::at(&own_at, format!("expected an array, found {}", kind(other)))),
        };
        for (list, list_at, overrides) in [(shared, shared_at, false), (own, &own_at, true)] {
            for (i, raw) in list.iter().enumerate() {
                let p_at = list_at.index(i);
                let p = self.param(raw, &p_at, warn)?;
                match params.iter().position(|(q, _)| q.name == p.name && q.location == p.location) {
                    Some(k) if overrides && !list_at_is(&params[k].1, &own_at) => params[k] = (p, p_at),
                    Some(_) => warn.add(&p_at, format!("duplicate parameter {:?}; the first one is used", p.name)),
                    None => params.push((p, p_at)),
                }
            }
        }
        if params.iter().filter(|(p, _)| p.location == Location::Body).count() > 1 {
            return Err(SpecError::at(&own_at, "more than one body parameter"));
        }
        let holes = placeholders(path);
        for h in &holes {
            if !params.iter().any(|(p, _)| p.location == Location::Path && p.name == *h) {
                return Err(SpecError::at(&own_at, format!("path template placeholder {{{h}}} has no path parameter")));
            }
        }
        params.retain(|(p, p_at)| {
            let keep = p.location != Location::Path || holes.contains(&p.name.as_str());
            if !keep {
                warn.add(
                    &p_at.key("name"),
                    format!("path parameter {:?} is not in the path template {path:?}; dropped", p.name),
                );
            }
            keep
        });
        let (success_status, response) = self.responses(obj, at, warn)?;
        let auth = self.auth(obj, at, warn)?;
        let consumes = self.media(obj, "consumes", at)?;
        let produces = self.media(obj, "produces", at)?;
        Ok(Operation {
            id,
            class,
            tags,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            params: params.into_iter().map(|(p, _)| p).collect(),
            response,
            success_status,
            deprecated,
            preview,
            auth,
            consumes,
            produces,
            paging: Paging::None,
        })
    }

    fn method_name(&self, obj: &Map<String, Value>, at: &JPath) -> Result<String, SpecError> {
        for key in ["x-purecloud-method-name", "operationId"] {
            match obj.get(key) {
                None => continue,
                Some(Value::String(s)) if is_plain_ident(s) => return Ok(s.clone()),
                Some(Value::String(s)) => {
                    return Err(SpecError::at(&at.key(key), format!("{s:?} is not an identifier")));
                }
                Some(other) => {
                    return Err(SpecError::at(&at.key(key), format!("expected a string, found {}", kind(other))))
                }
            }
        }
        Err(SpecError::at(at, "operation needs x-purecloud-method-name or operationId"))
    }

    /// Resolves `{"$ref": "#/<section>/<name>"}` against the root's section.
    fn resolve<'v>(&'v self, v: &'v Value, section: &str, at: &JPath) -> Result<(&'v Value, JPath), SpecError> {
        let Some(r) = v.get("$ref") else { return Ok((v, at.clone())) };
        let text = r.as_str().unwrap_or_default();
        let prefix = format!("#/{section}/");
        let target = text
            .strip_prefix(&prefix)
            .and_then(|name| self.root.get(section).and_then(|s| s.get(name)).map(|t| (t, name)));
        match target {
            Some((t, name)) => Ok((t, JPath::root().key(section).key(name))),
            None => Err(SpecError::at(&at.key("$ref"), format!("$ref {r} does not resolve"))),
        }
    }

    fn param(&self, raw: &Value, at: &JPath, warn: &mut Warnings) -> Result<Param, SpecError> {
        let (raw, at) = self.resolve(raw, "parameters", at)?;
        let at = &at;
        let Some(obj) = raw.as_object() else {
            return Err(SpecError::at(at, format!("expected an object, found {}", kind(raw))));
        };
        let name = match obj.get("name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(other) => {
                return Err(SpecError::at(&at.key("name"), format!("expected a non-empty string, found {other}")))
            }
            None => return Err(SpecError::at(&at.key("name"), "missing")),
        };
        let location = match obj.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            Some("body") => Location::Body,
            Some("formData") => Location::FormData,
            _ => {
                let found = obj.get("in").map_or("nothing".to_string(), |v| v.to_string());
                return Err(SpecError::at(
                    &at.key("in"),
                    format!("expected one of path|query|header|body|formData, found {found}"),
                ));
            }
        };
        let mut required = opt_bool(obj, "required", at)?.unwrap_or(false);
        if location == Location::Path && !required {
            warn.add(&at.key("required"), format!("path parameter {name:?} must be required; taken as required"));
            required = true;
        }
        let (ty, schema_at) = if location == Location::Body {
            let s_at = at.key("schema");
            let schema =
                obj.get("schema").ok_or_else(|| SpecError::at(&s_at, "missing: a body parameter needs a schema"))?;
            (self.defs.type_of(schema, &s_at, warn)?, s_at)
        } else {
            if !obj.contains_key("type") {
                warn.add(&at.key("type"), "missing; taken as string");
            }
            (self.defs.type_of(raw, at, warn)?, at.clone())
        };
        if location != Location::Body {
            let of_objects = matches!(&ty, TypeRef::Object | TypeRef::Ref(_))
                || matches!(&ty, TypeRef::Array(t) if matches!(**t, TypeRef::Object | TypeRef::Ref(_)));
            if of_objects {
                warn.add(
                    &schema_at,
                    format!("{name:?} in {location:?} is (an array of) objects; values are sent as text"),
                );
            }
        }
        let collection = match obj.get("collectionFormat") {
            None => None,
            Some(Value::String(c)) => Some(match c.as_str() {
                "csv" => CollectionFormat::Csv,
                "multi" => CollectionFormat::Multi,
                "ssv" => CollectionFormat::Ssv,
                "tsv" => CollectionFormat::Tsv,
                "pipes" => CollectionFormat::Pipes,
                _ => {
                    return Err(SpecError::at(
                        &at.key("collectionFormat"),
                        format!("expected one of csv|multi|ssv|tsv|pipes, found {c:?}"),
                    ))
                }
            }),
            Some(other) => {
                return Err(SpecError::at(
                    &at.key("collectionFormat"),
                    format!("expected a string, found {}", kind(other)),
                ))
            }
        };
        let collection = match (&ty, collection) {
            (TypeRef::Array(_), c) if location != Location::Body => Some(c.unwrap_or(CollectionFormat::Csv)),
            (_, Some(_)) => {
                warn.add(&at.key("collectionFormat"), "collectionFormat on a parameter that is not an array; ignored");
                None
            }
            _ => None,
        };
        let enum_values = if location == Location::Body { Vec::new() } else { enum_of(raw, at, warn)? };
        let default = obj.get("default").cloned();
        if let (Some(Value::String(d)), false) = (&default, enum_values.is_empty()) {
            if !enum_values.contains(d) {
                warn.add(&at.key("default"), format!("default {d:?} is not one of its enum values"));
            }
        }
        Ok(Param { name, location, required, ty, collection, enum_values, default })
    }

    /// The success status and the success response type.
    fn responses(
        &self,
        obj: &Map<String, Value>,
        at: &JPath,
        warn: &mut Warnings,
    ) -> Result<(u16, Option<TypeRef>), SpecError> {
        let r_at = at.key("responses");
        let Some(responses) = obj.get("responses") else {
            warn.add(&r_at, "missing; no response body is expected");
            return Ok((200, None));
        };
        let Some(responses) = responses.as_object() else {
            return Err(SpecError::at(&r_at, format!("expected an object, found {}", kind(responses))));
        };
        let mut success: Vec<(u16, &Value, JPath)> = Vec::new();
        let mut default = None;
        for (code, resp) in responses {
            let c_at = r_at.key(code);
            if code.starts_with("x-") {
                continue;
            }
            let (resp, c_at) = self.resolve(resp, "responses", &c_at)?;
            if !resp.is_object() {
                return Err(SpecError::at(&c_at, format!("expected an object, found {}", kind(resp))));
            }
            if resp.get("description").is_none() {
                warn.add(&c_at, "response without description");
            }
            if code == "default" {
                default = Some((resp, c_at));
            } else if let Ok(n) = code.parse::<u16>() {
                if (200..300).contains(&n) {
                    success.push((n, resp, c_at));
                }
            } else {
                warn.add(&c_at, format!("response code {code:?} is not a number; ignored"));
            }
        }
        success.sort_by_key(|(n, _, _)| *n);
        let status = success.first().map_or(200, |(n, _, _)| *n);
        if status == 204 {
            return Ok((204, None));
        }
        let with_schema = success
            .iter()
            .map(|(_, r, a)| (*r, a))
            .chain(if success.is_empty() { default.as_ref().map(|(r, a)| (*r, a)) } else { None })
            .find(|(r, _)| r.get("schema").is_some());
        let response = match with_schema {
            Some((r, a)) => {
                let s_at = a.key("schema");
                r.get("schema").map(|s| self.defs.type_of(s, &s_at, warn)).transpose()?
            }
            None => None,
        };
        Ok((status, response))
    }

    /// False only when the applicable `security` is an empty list.
    fn auth(&self, obj: &Map<String, Value>, at: &JPath, warn: &mut Warnings) -> Result<bool, SpecError> {
        let (sec, s_at) = match (obj.get("security"), self.root.get("security")) {
            (Some(s), _) => (s, at.key("security")),
            (None, Some(s)) => (s, JPath::root().key("security")),
            (None, None) => return Ok(true),
        };
        let Some(list) = sec.as_array() else {
            return Err(SpecError::at(&s_at, format!("expected an array, found {}", kind(sec))));
        };
        let schemes = self.root.get("securityDefinitions").and_then(Value::as_object);
        for (i, req) in list.iter().enumerate() {
            let Some(req) = req.as_object() else {
                return Err(SpecError::at(&s_at.index(i), format!("expected an object, found {}", kind(req))));
            };
            for name in req.keys() {
                if !schemes.is_some_and(|s| s.contains_key(name)) {
                    warn.add(
                        &s_at.index(i).key(name),
                        format!("security scheme {name:?} is not in securityDefinitions"),
                    );
                }
            }
        }
        Ok(!list.is_empty())
    }

    /// The media type when `application/json` is not among the operation's (or root's) list.
    fn media(&self, obj: &Map<String, Value>, key: &str, at: &JPath) -> Result<Option<String>, SpecError> {
        let list = match (obj.get(key), self.root.get(key)) {
            (Some(v), _) => string_list(v, &at.key(key))?,
            (None, Some(v)) => string_list(v, &JPath::root().key(key))?,
            (None, None) => return Ok(None),
        };
        if list.is_empty() || list.iter().any(|m| m.starts_with("application/json")) {
            return Ok(None);
        }
        Ok(list.into_iter().next())
    }
}

fn list_at_is(p_at: &JPath, list_at: &JPath) -> bool {
    p_at.as_str().starts_with(list_at.as_str())
}
