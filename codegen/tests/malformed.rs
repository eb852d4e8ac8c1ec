//! Malformed specs give errors naming the JSON path; tolerated flaws give warnings.
#![allow(clippy::unwrap_used)]

use purecore_codegen::{read_spec, Api, SpecError};
use serde_json::{json, Value};

/// A small valid spec with `GET /api/v2/users/{userId}`; `edit` changes it.
fn spec(edit: impl FnOnce(&mut Value)) -> String {
    let mut v = json!({
        "swagger": "2.0",
        "info": {"title": "T", "version": "v2"},
        "securityDefinitions": {"PureCloud OAuth": {"type": "oauth2"}},
        "paths": {
            "/api/v2/users/{userId}": {
                "get": {
                    "tags": ["Users"],
                    "operationId": "getUsersUserId",
                    "x-purecloud-method-name": "getUser",
                    "parameters": [
                        {"name": "userId", "in": "path", "required": true, "type": "string"},
                        {"name": "expand", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/User"}}},
                    "security": [{"PureCloud OAuth": []}]
                }
            }
        },
        "definitions": {
            "User": {"type": "object", "properties": {"id": {"type": "string"}, "manager": {"$ref": "#/definitions/User"}}}
        }
    });
    edit(&mut v);
    v.to_string()
}

fn op(v: &mut Value) -> &mut Value {
    &mut v["paths"]["/api/v2/users/{userId}"]["get"]
}

fn read(text: &str) -> Result<Api, SpecError> {
    read_spec(text, "test.json", false)
}

fn err(text: &str) -> String {
    read(text).unwrap_err().to_string()
}

const OP: &str = r#"$.paths["/api/v2/users/{userId}"].get"#;

#[test]
fn the_base_spec_is_valid() {
    let api = read(&spec(|_| {})).unwrap();
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    assert_eq!(api.operations[0].id, "getUser");
    assert_eq!(api.operations[0].class, "UsersApi");
}

#[test]
fn text_that_is_not_json() {
    let e = err("{\"swagger\": \"2.0\",\n  \"paths\": {,}}");
    assert!(e.starts_with("line 2 column"), "{e}");
    assert!(e.contains("not valid JSON"), "{e}");
}

#[test]
fn wrong_document_kind() {
    assert_eq!(
        err(r#"{"openapi": "3.0.0", "paths": {}}"#),
        "$.openapi: OpenAPI 3 is not supported: expected a Swagger 2.0 document (swagger: \"2.0\")"
    );
    assert_eq!(err("[1]"), "$: expected an object, found an array");
    assert_eq!(err(&spec(|v| v["paths"] = json!([]))), "$.paths: expected an object, found an array");
}

#[test]
fn unknown_parameter_location() {
    let e = err(&spec(|v| op(v)["parameters"][0]["in"] = json!("cookie")));
    assert_eq!(e, format!("{OP}.parameters[0].in: expected one of path|query|header|body|formData, found \"cookie\""));
}

#[test]
fn wrong_json_types() {
    let e = err(&spec(|v| op(v)["parameters"] = json!({"a": 1})));
    assert_eq!(e, format!("{OP}.parameters: expected an array, found an object"));
    let e = err(&spec(|v| op(v)["parameters"][1]["required"] = json!("yes")));
    assert_eq!(e, format!("{OP}.parameters[1].required: expected a boolean, found a string"));
    let e = err(&spec(|v| op(v)["tags"] = json!("Users")));
    assert_eq!(e, format!("{OP}.tags: expected an array of strings, found a string"));
    let e = err(&spec(|v| v["definitions"]["User"]["properties"]["id"]["type"] = json!(5)));
    assert_eq!(e, "$.definitions.User.properties.id.type: expected a string, found a number");
    let e = err(&spec(|v| v["definitions"]["User"]["properties"]["id"]["type"] = json!("text")));
    assert!(e.starts_with("$.definitions.User.properties.id.type: expected one of string|integer|"), "{e}");
    let e = err(&spec(|v| op(v)["parameters"][1]["collectionFormat"] = json!("commas")));
    assert_eq!(
        e,
        format!("{OP}.parameters[1].collectionFormat: expected one of csv|multi|ssv|tsv|pipes, found \"commas\"")
    );
}

#[test]
fn refs_that_do_not_resolve() {
    let e = err(&spec(|v| op(v)["responses"]["200"]["schema"]["$ref"] = json!("#/definitions/Nobody")));
    assert_eq!(e, format!("{OP}.responses[\"200\"].schema[\"$ref\"]: $ref \"#/definitions/Nobody\" does not resolve: no definition \"Nobody\""));
    let e = err(&spec(|v| v["definitions"]["User"]["properties"]["manager"]["$ref"] = json!("#/definitions/Manager")));
    assert!(e.starts_with("$.definitions.User.properties.manager[\"$ref\"]: $ref"), "{e}");
}

#[test]
fn path_templates_and_path_parameters() {
    // A placeholder without a parameter cannot be filled: fatal.
    let e = err(&spec(|v| op(v)["parameters"][0]["in"] = json!("query")));
    assert_eq!(e, format!("{OP}.parameters: path template placeholder {{userId}} has no path parameter"));
    // A declared path parameter missing from the template (a flaw of the real specs):
    // dropped with a warning, an error in strict mode.
    let text = spec(|v| {
        op(v)["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "scriptId", "in": "path", "required": true, "type": "string"}))
    });
    let api = read(&text).unwrap();
    assert_eq!(api.operations[0].params.len(), 2);
    let w = api.warnings[0].to_string();
    assert_eq!(
        w,
        format!("{OP}.parameters[2].name: path parameter \"scriptId\" is not in the path template \"/api/v2/users/{{userId}}\"; dropped")
    );
    let e = read_spec(&text, "t.json", true).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{OP}.parameters[2].name: path parameter \"scriptId\" is not in the path template")),
        "{e}"
    );
}

#[test]
fn names_are_required_and_unique() {
    let e = err(&spec(|v| {
        op(v).as_object_mut().unwrap().remove("x-purecloud-method-name");
        op(v).as_object_mut().unwrap().remove("operationId");
    }));
    assert_eq!(e, format!("{OP}: operation needs x-purecloud-method-name or operationId"));
    let e = err(&spec(|v| {
        let copy = op(v).clone();
        v["paths"]["/api/v2/users/{userId}"]["delete"] = copy;
    }));
    assert!(e.contains("duplicate method name \"getUser\""), "{e}");
}

#[test]
fn what_a_live_download_looks_like_is_accepted() {
    let text = spec(|v| {
        let o = op(v);
        o["tags"] = json!(["Telephony Providers Edge", "Users"]);
        o["x-inin-requires-permissions"] = json!({"type": "ANY", "permissions": ["directory:user:view"]});
        o["x-some-future-extension"] = json!([1, 2]);
        o["summary"] = json!("Get user.");
        o["parameters"][1]["x-example"] = json!("presence");
        o["responses"] = json!({
            "201": {"description": "created", "schema": {"$ref": "#/definitions/User"}},
            "202": {"description": "accepted"},
            "400": {"description": "bad", "schema": {"$ref": "#/definitions/ErrorBody"}, "x-inin-error-codes": {"bad.request": "x"}}
        });
        o["security"] = json!([{"Some Other Scheme": ["all"]}]);
        v["securityDefinitions"] = json!({"Some Other Scheme": {"type": "oauth2"}});
        v["definitions"]["ErrorBody"] = json!({"type": "object", "properties": {"message": {"type": "string"}}});
        v["paths"]["/api/v2/guest"] = json!({"post": {
            "tags": ["Web Chat"], "x-purecloud-method-name": "postGuest", "security": [],
            "consumes": ["multipart/form-data"], "parameters": [{"name": "file", "in": "formData", "type": "file"}],
            "responses": {"204": {"description": "done"}}
        }});
    });
    let api = read(&text).unwrap();
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    let get = api.operations.iter().find(|o| o.id == "getUser").unwrap();
    assert_eq!(get.class, "TelephonyProvidersEdgeApi");
    assert_eq!(get.tags, ["Telephony Providers Edge", "Users"]);
    assert_eq!((get.success_status, get.auth), (201, true));
    assert_eq!(get.response.as_ref().unwrap().ref_name(), Some("User"));
    let post = api.operations.iter().find(|o| o.id == "postGuest").unwrap();
    assert_eq!((post.class.as_str(), post.success_status, post.auth), ("WebChatApi", 204, false));
    assert_eq!(post.consumes.as_deref(), Some("multipart/form-data"));
    assert!(post.response.is_none());
    let classes = purecore_codegen::class_members(&api);
    assert_eq!(classes.keys().collect::<Vec<_>>(), ["TelephonyProvidersEdgeApi", "UsersApi", "WebChatApi"]);
    purecore_codegen::generate(&api).unwrap();
}
