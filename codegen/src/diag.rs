//! JSON paths and the two kinds of findings: fatal errors and tolerated warnings.

use std::fmt;

/// A JSON path such as `$.paths["/api/v2/users/{userId}"].get.parameters[0].in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JPath(String);

impl JPath {
    pub fn root() -> JPath {
        JPath("$".to_string())
    }

    /// The path of an object member: `.name` for plain names, `["..."]` otherwise.
    pub fn key(&self, key: &str) -> JPath {
        let plain = !key.is_empty()
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !key.starts_with(|c: char| c.is_ascii_digit());
        if plain {
            JPath(format!("{}.{key}", self.0))
        } else {
            // serde_json string escaping gives a valid, unambiguous quoted key.
            let quoted = serde_json::Value::String(key.to_string()).to_string();
            JPath(format!("{}[{quoted}]", self.0))
        }
    }

    /// The path of an array element.
    pub fn index(&self, i: usize) -> JPath {
        JPath(format!("{}[{i}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A fatal problem in the spec: nothing is generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Where: a JSON path, or `line L column C` when the text is not JSON.
    pub path: String,
    pub message: String,
}

impl SpecError {
    pub fn at(path: &JPath, message: impl Into<String>) -> SpecError {
        SpecError { path: path.0.clone(), message: message.into() }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for SpecError {}

/// A tolerated flaw: generation goes on (with `--strict` it becomes an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Collects warnings while reading the spec.
#[derive(Debug, Default)]
pub struct Warnings(pub Vec<Warning>);

impl Warnings {
    pub fn add(&mut self, path: &JPath, message: impl Into<String>) {
        self.0.push(Warning { path: path.as_str().to_string(), message: message.into() });
    }
}

/// A short description of a JSON value's type, for messages.
pub fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_quote_what_needs_it() {
        let p =
            JPath::root().key("paths").key("/api/v2/users/{userId}").key("get").key("parameters").index(0).key("in");
        assert_eq!(p.as_str(), r#"$.paths["/api/v2/users/{userId}"].get.parameters[0].in"#);
        assert_eq!(JPath::root().key("x-purecloud-method-name").as_str(), r#"$["x-purecloud-method-name"]"#);
    }
}
