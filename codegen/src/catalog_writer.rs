//! `catalog/data/operations.json` and `catalog/data/models.json`: minified, short keys,
//! defaults omitted, written with the catalog crate's own serde types.

use purecore_catalog::{ModelsFile, OperationsFile};

use crate::{header_text, Api, Output};

pub fn emit(api: &Api, out: &mut Output) -> Result<(), serde_json::Error> {
    let ops = OperationsFile {
        generated: header_text(api),
        title: api.title.clone(),
        version: api.version.clone(),
        operations: api.operations.clone(),
    };
    let models = ModelsFile {
        generated: header_text(api),
        title: api.title.clone(),
        version: api.version.clone(),
        models: api.models.clone(),
    };
    out.add("catalog/data/operations.json", serde_json::to_string(&ops)? + "\n");
    out.add("catalog/data/models.json", serde_json::to_string(&models)? + "\n");
    Ok(())
}
