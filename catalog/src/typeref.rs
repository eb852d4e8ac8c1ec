//! `TypeRef`: the type of a parameter, a property or a response, and its compact text form.
//!
//! In the JSON files a type is one short string:
//!
//! | type | text |
//! |---|---|
//! | `String { format: None }` | `string` |
//! | `String { format: Some("date-time") }` | `string:date-time` |
//! | `Integer { format: Some("int64") }` | `integer:int64` |
//! | `Number { .. }`, `Boolean` | `number:double`, `boolean` |
//! | `Array(T)` | `[T]` |
//! | `Map(T)` (object with `additionalProperties`) | `{T}` |
//! | `Object` (free-form object) | `object` |
//! | `Ref("User")` (a definition) | `#User` |
//! | `File` | `file` |

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// The type of a parameter, property or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A string; `format` is the Swagger format (`date-time`, `date`, `uri`, ...).
    String { format: Option<String> },
    /// An integer; `format` is `int32` or `int64` when given.
    Integer { format: Option<String> },
    /// A number; `format` is `float` or `double` when given.
    Number { format: Option<String> },
    /// `true` or `false`.
    Boolean,
    /// A JSON array of the inner type.
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys whose values have the inner type.
    Map(Box<TypeRef>),
    /// A free-form JSON value (usually an object).
    Object,
    /// A named definition (a model); the name is the definition's key.
    Ref(String),
    /// A file upload (`type: file`, form data only).
    File,
}

impl Default for TypeRef {
    fn default() -> Self {
        TypeRef::String { format: None }
    }
}

impl TypeRef {
    /// A string without a format: the default, omitted in the JSON files.
    pub fn is_plain_string(&self) -> bool {
        matches!(self, TypeRef::String { format: None })
    }

    /// The definition name when this is a `Ref`.
    pub fn ref_name(&self) -> Option<&str> {
        match self {
            TypeRef::Ref(name) => Some(name),
            _ => None,
        }
    }

    /// Parses the compact text form (see the module documentation).
    pub fn parse(text: &str) -> Result<TypeRef, String> {
        if let Some(name) = text.strip_prefix('#') {
            if name.is_empty() {
                return Err("empty definition name after '#'".to_string());
            }
            return Ok(TypeRef::Ref(name.to_string()));
        }
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            return Ok(TypeRef::Array(Box::new(TypeRef::parse(inner)?)));
        }
        if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            return Ok(TypeRef::Map(Box::new(TypeRef::parse(inner)?)));
        }
        let (base, format) = match text.split_once(':') {
            Some((b, f)) => (b, Some(f.to_string())),
            None => (text, None),
        };
        match (base, format) {
            ("string", format) => Ok(TypeRef::String { format }),
            ("integer", format) => Ok(TypeRef::Integer { format }),
            ("number", format) => Ok(TypeRef::Number { format }),
            ("boolean", None) => Ok(TypeRef::Boolean),
            ("object", None) => Ok(TypeRef::Object),
            ("file", None) => Ok(TypeRef::File),
            _ => Err(format!("unknown type {text:?}")),
        }
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn prim(f: &mut fmt::Formatter<'_>, base: &str, format: &Option<String>) -> fmt::Result {
            match format {
                Some(x) => write!(f, "{base}:{x}"),
                None => f.write_str(base),
            }
        }
        match self {
            TypeRef::String { format } => prim(f, "string", format),
            TypeRef::Integer { format } => prim(f, "integer", format),
            TypeRef::Number { format } => prim(f, "number", format),
            TypeRef::Boolean => f.write_str("boolean"),
            TypeRef::Array(inner) => write!(f, "[{inner}]"),
            TypeRef::Map(inner) => write!(f, "{{{inner}}}"),
            TypeRef::Object => f.write_str("object"),
            TypeRef::Ref(name) => write!(f, "#{name}"),
            TypeRef::File => f.write_str("file"),
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TypeRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        TypeRef::parse(&text).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        let cases = [
            "string",
            "string:date-time",
            "integer:int64",
            "number",
            "boolean",
            "[string]",
            "{[#User]}",
            "object",
            "#Weird]Name",
            "file",
        ];
        for text in cases {
            let ty = TypeRef::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(ty.to_string(), text);
        }
        assert!(TypeRef::parse("boolean:x").is_err());
        assert!(TypeRef::parse("#").is_err());
        assert!(TypeRef::parse("thing").is_err());
    }
}
