//! The original 2018 spec (minified, descriptions, x-inin-* extensions, error responses,
//! parameter enums, operationId != x-purecloud-method-name, small validity flaws) generates.
#![allow(clippy::unwrap_used)]

mod common;

use purecore_catalog::{Location, Paging};
use purecore_codegen::{class_members, generate, read_spec, write_output};

#[test]
fn the_2018_spec_generates_with_the_right_names() {
    let (_, text) = common::shared_spec("swagger-2018.json");
    let api = read_spec(&text, "swagger-2018.json", false).unwrap();
    assert_eq!(api.operations.len(), 932);
    assert_eq!(api.title, "PureCloud Platform API");

    // Class = tag without spaces + Api.
    let classes = class_members(&api);
    for c in [
        "TelephonyProvidersEdgeApi",
        "ContentManagementApi",
        "ExternalContactsApi",
        "UsersApi",
        "WorkforceManagementApi",
    ] {
        assert!(classes.contains_key(c), "{c} missing; have {:?}", classes.keys().collect::<Vec<_>>());
    }
    assert!(classes.keys().all(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric()) && c.ends_with("Api")));

    // Method name = x-purecloud-method-name, not operationId (getUsersUserId).
    let get_user = api.operations.iter().find(|o| o.id == "getUser").unwrap();
    assert_eq!(get_user.path, "/api/v2/users/{userId}");
    assert!(api.operations.iter().all(|o| o.id != "getUsersUserId"));
    // Parameter enums are kept (for arrays: of the items).
    assert_eq!(get_user.param("state").unwrap().enum_values, ["active", "deleted"]);
    assert!(get_user.param("expand").unwrap().enum_values.contains(&"presence".to_string()));
    // Error responses do not change the success response; 202/204 are kept.
    assert!(api.operations.iter().any(|o| o.success_status == 202));
    assert!(api.operations.iter().filter(|o| o.success_status == 204).all(|o| o.response.is_none()));
    assert!(api.operations.iter().any(|o| o.paging == Paging::PageNumber));

    // The listed flaws are tolerated with warnings naming their JSON path.
    let w: Vec<String> = api.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter().any(|w| w
            .starts_with("$.paths[\"/api/v2/scripts/published\"].get.parameters[0].name: path parameter \"scriptId\"")),
        "{w:#?}"
    );
    let published = api.operations.iter().find(|o| o.path == "/api/v2/scripts/published").unwrap();
    assert!(published.params_in(Location::Path).next().is_none());
    assert!(w.iter().any(|w| w.contains("not one of its enum values")));
    assert!(w.iter().any(|w| w.contains("response without description")));
    assert!(w.iter().any(|w| w.contains("(an array of) objects")));

    // And the files come out.
    let dir = common::temp_dir("2018");
    let out = generate(&api).unwrap();
    write_output(&dir, &out).unwrap();
    for f in [
        "catalog/data/operations.json",
        "bindings-node/generated/apis.js",
        "bindings-node/generated/index.d.ts",
        "bindings-python/python/purecore/_generated/telephony_providers_edge_api.py",
        "bindings-python/python/purecore/_generated/telephony_providers_edge_api.pyi",
        "bindings-c/go/platformclientv2/telephonyprovidersedgeapi.go",
    ] {
        assert!(dir.join(f).is_file(), "{f} not written");
    }
    let js = std::fs::read_to_string(dir.join("bindings-node/generated/apis.js")).unwrap();
    assert!(js.contains("\n  'TelephonyProvidersEdgeApi',\n"));
    let ops = std::fs::read_to_string(dir.join("catalog/data/operations.json")).unwrap();
    assert!(purecore_catalog::Catalog::from_json(&ops).unwrap().js_api_table().contains("\tgetUser userId|"));
    let _ = std::fs::remove_dir_all(dir);

    // Strict mode turns the first tolerated flaw into an error.
    let err = read_spec(&text, "swagger-2018.json", true).unwrap_err();
    assert!(err.to_string().starts_with("$.paths["), "{err}");
}
