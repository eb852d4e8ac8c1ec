//! Paging style detection (the rules are documented in catalog/README.md).

use purecore_catalog::{Location, Model, Operation, Paging, TypeRef};

/// The paging style of an operation, from its query parameters and its response model.
///
/// 1. The response must be a model that looks like a listing: it has an array property, or
///    a `cursor`, `cursors` or `nextUri` property. Otherwise: `None`.
/// 2. Query parameters, first match wins: `cursor` -> Cursor; `after` or `before` ->
///    AfterBefore; `pageNumber` -> PageNumber; `nextPage` -> NextPage.
/// 3. Else, a `nextUri` property in the response model -> NextUri.
pub fn detect(op: &Operation, models: &[Model]) -> Paging {
    let Some(TypeRef::Ref(name)) = &op.response else {
        return Paging::None;
    };
    let Ok(i) = models.binary_search_by(|m| m.name.as_str().cmp(name)) else {
        return Paging::None;
    };
    let model = &models[i];
    let has = |prop: &str| model.properties.iter().any(|p| p.name == prop);
    let listing = has("cursor")
        || has("cursors")
        || has("nextUri")
        || model.properties.iter().any(|p| matches!(p.ty, TypeRef::Array(_)));
    if !listing {
        return Paging::None;
    }
    let query = |name: &str| op.params.iter().any(|p| p.location == Location::Query && p.name == name);
    if query("cursor") {
        Paging::Cursor
    } else if query("after") || query("before") {
        Paging::AfterBefore
    } else if query("pageNumber") {
        Paging::PageNumber
    } else if query("nextPage") {
        Paging::NextPage
    } else if has("nextUri") {
        Paging::NextUri
    } else {
        Paging::None
    }
}
