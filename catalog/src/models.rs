//! The embedded model table (feature `models`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::{inflate, Model, ModelsFile};

/// The embedded models file, deflated by build.rs.
const MODELS_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/models.json.deflate"));

/// The definitions of the spec, parsed once, looked up by name in O(1).
#[derive(Debug)]
pub struct Models {
    models: Vec<Model>,
    index: HashMap<String, usize>,
}

/// The embedded models, parsed on first use (panics only on corrupted embedded data).
#[allow(clippy::panic, reason = "only a corrupted build can reach it; the tests prove the embedded data")]
pub fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| match Models::from_json(&inflate("models.json", MODELS_DEFLATED)) {
        Ok(m) => m,
        Err(e) => panic!("purecore-catalog: embedded data/models.json is invalid: {e}"),
    })
}

impl Models {
    /// Parses a models file.
    pub fn from_json(text: &str) -> Result<Models, serde_json::Error> {
        let file: ModelsFile = serde_json::from_str(text)?;
        Ok(Models::from_file(file))
    }

    /// Builds the index over an already parsed file.
    pub fn from_file(file: ModelsFile) -> Models {
        let index = file.models.iter().enumerate().map(|(i, m)| (m.name.clone(), i)).collect();
        Models { models: file.models, index }
    }

    /// The model with this definition name.
    pub fn get(&self, name: &str) -> Option<&Model> {
        self.index.get(name).map(|&i| &self.models[i])
    }

    pub fn len(&self) -> usize {
        self.models.len()
    }

    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }

    /// All models, sorted by name.
    pub fn iter(&self) -> std::slice::Iter<'_, Model> {
        self.models.iter()
    }
}
