//! Settings cross as JSON of the core's one schema (`purecore::config::schema`): a
//! patch of dotted setting names to values goes in (durations in seconds; the core
//! checks each value and names the setting), and every setting's value comes out. The
//! JavaScript facade keeps the official names as thin wrappers that build a patch.

use purecore::config::schema;
use purecore::{Config, ConfigPatch, Environment};
use serde_json::Value;

/// Applies a JSON patch to `c` (a copy the client checks as a whole); on error `c` may be
/// partly changed, so the caller drops it.
pub fn apply(json: &str, c: &mut Config) -> purecore::Result<()> {
    ConfigPatch::from_json(json)?.apply_values(c)
}

/// Every setting by its dotted name, plus the effective `api_base` and `login_base`
/// and the config file in use (`config_path`, null when none), as JSON text.
pub fn view(c: &Config, env: &Environment) -> String {
    let mut m = schema::view(c);
    m.insert("api_base".into(), env.api_base().as_str().trim_end_matches('/').into());
    m.insert("login_base".into(), env.login_base().as_str().trim_end_matches('/').into());
    m.insert("config_path".into(), c.config_file_path().map(|p| p.display().to_string()).into());
    Value::Object(m).to_string()
}
