//! Determinism, currency of the committed output, and counts across every language.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use purecore_catalog::{Catalog, Models};
use purecore_codegen::{class_members, generate, generated_files_in, read_spec, write_output};

#[test]
fn output_is_deterministic_and_matches_the_committed_files() {
    let (_, text) = common::shared_spec("platform-api-v2.json");
    let dirs = [common::temp_dir("a"), common::temp_dir("b")];
    for dir in &dirs {
        let api = read_spec(&text, "platform-api-v2.json", false).unwrap();
        let out = generate(&api).unwrap();
        write_output(dir, &out).unwrap();
    }
    let files_a = generated_files_in(&dirs[0]).unwrap();
    let files_b = generated_files_in(&dirs[1]).unwrap();
    assert_eq!(files_a, files_b);
    assert!(files_a.len() > 100, "{} files", files_a.len());
    for f in &files_a {
        let a = std::fs::read(dirs[0].join(f)).unwrap();
        let b = std::fs::read(dirs[1].join(f)).unwrap();
        assert!(a == b, "{f} differs between two runs");
    }

    // The committed files must be exactly what the generator writes now.
    let root = common::repo_root();
    let committed = generated_files_in(&root).unwrap();
    let fresh: BTreeSet<&String> = files_a.iter().collect();
    let old: BTreeSet<&String> = committed.iter().collect();
    let missing: Vec<_> = fresh.difference(&old).collect();
    let extra: Vec<_> = old.difference(&fresh).collect();
    let stale: Vec<&String> = files_a
        .iter()
        .filter(|f| old.contains(f) && std::fs::read(dirs[0].join(f)).unwrap() != std::fs::read(root.join(f)).unwrap())
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && stale.is_empty(),
        "committed generated files are out of date; run scripts/codegen.\n missing: {missing:?}\n extra: {extra:?}\n stale: {stale:?}"
    );
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Counts taken straight from the spec JSON, independent of the generator.
struct SpecCounts {
    operations: usize,
    definitions: usize,
    tags: usize,
}

fn spec_counts(text: &str) -> SpecCounts {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let methods = ["get", "put", "post", "delete", "options", "head", "patch"];
    let mut operations = 0;
    let mut tags = BTreeSet::new();
    for item in v["paths"].as_object().unwrap().values() {
        for (m, op) in item.as_object().unwrap() {
            if methods.contains(&m.as_str()) {
                operations += 1;
                for t in op["tags"].as_array().unwrap() {
                    tags.insert(t.as_str().unwrap().to_string());
                }
            }
        }
    }
    SpecCounts { operations, definitions: v["definitions"].as_object().unwrap().len(), tags: tags.len() }
}

fn count_lines(text: &str, pred: impl Fn(&str) -> bool) -> usize {
    text.lines().filter(|l| pred(l)).count()
}

#[test]
fn counts_agree_in_every_language() {
    let (_, text) = common::shared_spec("platform-api-v2.json");
    let want = spec_counts(&text);
    assert_eq!((want.operations, want.definitions, want.tags), (3355, 6651, 87));
    let api = read_spec(&text, "platform-api-v2.json", false).unwrap();
    let out = generate(&api).unwrap();
    let file = |p: &str| out.files.get(p).unwrap_or_else(|| panic!("{p} not generated")).as_str();
    let classes = class_members(&api);
    // An operation with two tags is in two classes, as in the official SDKs.
    let memberships: usize = classes.values().map(Vec::len).sum();
    let primary: usize = classes.values().flatten().filter(|(_, p)| *p).count();
    assert_eq!(primary, want.operations);
    assert!(memberships > want.operations);

    // Catalog
    let catalog = Catalog::from_json(file("catalog/data/operations.json")).unwrap();
    assert_eq!(catalog.len(), want.operations);
    assert_eq!(catalog.classes().len(), want.tags);
    assert_eq!(classes.len(), want.tags);
    let models = Models::from_json(file("catalog/data/models.json")).unwrap();
    assert_eq!(models.len(), want.definitions);

    // TypeScript: methods in classes, interfaces in Models
    let dts = file("bindings-node/generated/index.d.ts");
    let ts_methods: Vec<&str> = dts
        .lines()
        .filter(|l| {
            l.starts_with("  ")
                && !l.starts_with("   ")
                && l.contains("): Reply<C, ")
                && !l.starts_with("  callOperation(")
        })
        .collect();
    assert_eq!(ts_methods.len(), memberships);
    let distinct: BTreeSet<&str> = ts_methods.iter().map(|l| l.trim().split('(').next().unwrap()).collect();
    assert_eq!(distinct.len(), want.operations);
    let models_ns = dts.split("export declare namespace Models {").nth(1).unwrap();
    assert_eq!(count_lines(models_ns, |l| l.starts_with("interface ")), want.definitions);
    assert_eq!(count_lines(dts, |l| l.starts_with("export declare class ")), want.tags);
    // JavaScript: every class name in apis.js; one entry per method, one line per class in
    // the table the addon hands it (built from the catalog)
    let js = file("bindings-node/generated/apis.js");
    let names = js.split("const NAMES = [\n").nth(1).unwrap().split("\n];\n").next().unwrap();
    assert_eq!(count_lines(names, |l| l.starts_with("  '") && l.ends_with("Api',")), want.tags);
    let table = catalog.js_api_table();
    assert_eq!(count_lines(&table, |_| true), want.tags);
    assert_eq!(table.lines().map(|l| l.split('\t').count() - 1).sum::<usize>(), memberships);

    // Python: methods in API modules, classes in the stubs
    let py_dir = "bindings-python/python/purecore/_generated/";
    let api_modules: Vec<(&String, &String)> =
        out.files.iter().filter(|(p, _)| p.starts_with(py_dir) && p.ends_with("_api.py")).collect();
    assert_eq!(api_modules.len(), want.tags);
    let py_methods: usize = api_modules
        .iter()
        .map(|(_, t)| count_lines(t, |l| l.starts_with("    def ") && !l.starts_with("    def __init__")))
        .sum();
    assert_eq!(py_methods, memberships);
    let stub_classes: usize = out
        .files
        .iter()
        .filter(|(p, _)| p.starts_with(py_dir) && p.ends_with("_api.pyi"))
        .map(|(_, t)| count_lines(t, |l| l.starts_with("class ")))
        .sum();
    assert_eq!(stub_classes, want.tags);
    // The model stubs are split by first letter; models.pyi re-exports every part.
    let parts: Vec<(&String, &String)> =
        out.files.iter().filter(|(p, _)| p.starts_with(&format!("{py_dir}_models_")) && p.ends_with(".pyi")).collect();
    assert!(parts.len() > 20, "{} model stub files", parts.len());
    let model_classes: usize =
        parts.iter().map(|(_, t)| count_lines(t, |l| l.starts_with("class ") && l.ends_with("(Model):"))).sum();
    assert_eq!(model_classes, want.definitions);
    let models_pyi = file(&format!("{py_dir}models.pyi"));
    for (p, _) in &parts {
        let module = p.trim_start_matches(py_dir).trim_end_matches(".pyi");
        assert!(models_pyi.contains(&format!("from .{module} import *\n")), "models.pyi misses {module}");
    }
    let meta: serde_json::Value = serde_json::from_str(file(&format!("{py_dir}_models.json"))).unwrap();
    assert_eq!(meta["models"].as_object().unwrap().len(), want.definitions);

    // Go: methods (without the WithContext twins), structs
    let go_dir = "bindings-c/go/platformclientv2/";
    let go_files: Vec<&String> = out.files.iter().filter(|(p, _)| p.starts_with(go_dir)).map(|(_, t)| t).collect();
    let go_methods: usize =
        go_files.iter().map(|t| count_lines(t, |l| l.starts_with("func (a ") && !l.contains("WithContext("))).sum();
    assert_eq!(go_methods, memberships);
    let go_ctx: usize = go_files
        .iter()
        .map(|t| count_lines(t, |l| l.starts_with("func (a ") && l.contains("WithContext(ctx context.Context")))
        .sum();
    assert_eq!(go_ctx, memberships);
    let structs: usize = go_files
        .iter()
        .map(|t| count_lines(t, |l| l.starts_with("type ") && l.ends_with(" struct {") && !l.ends_with("Api struct {")))
        .sum();
    assert_eq!(structs, want.definitions);
    let constructors: usize = go_files
        .iter()
        .map(|t| count_lines(t, |l| l.starts_with("func New") && l.contains("WithConfig(config *Configuration) *")))
        .sum();
    assert_eq!(constructors, want.tags);
}

#[test]
fn names_and_signatures_follow_the_official_sdks() {
    let (_, text) = common::shared_spec("platform-api-v2.json");
    let api = read_spec(&text, "platform-api-v2.json", false).unwrap();
    let out = generate(&api).unwrap();
    let table = Catalog::from_json(&out.files["catalog/data/operations.json"]).unwrap().js_api_table();
    // getUser(userId, opts = {}) and patchUser(userId, body, opts = {}), as entries of the
    // table the addon hands generated/apis.js.
    assert!(table.contains("\tgetUser userId|expand,integrationPresenceSource,userCustomAttributeSchemaIds,state\t"));
    assert!(table.contains("\tpatchUser userId,body\t"));
    // An optional parameter that is not an identifier: `opts.supportedContentId`.
    assert!(table.contains(",supportedContent.id:supportedContentId,"));
    let dts = &out.files["bindings-node/generated/index.d.ts"];
    assert!(dts.contains("  getUser(userId: string, opts?: UsersApi.getUserOptions): Reply<C, Models.User>;"));
    assert!(dts.contains("  deleteUser(userId: string, opts?: CallOptions): Reply<C, Record<string, unknown>>;"));
    let py = &out.files["bindings-python/python/purecore/_generated/users_api.py"];
    assert!(py.contains("    def get_user(self, user_id, **kwargs):"));
    assert!(
        py.contains("self.api_client.call_operation('getUser', {'userId': user_id, 'expand': kwargs.get('expand'),")
    );
    assert!(py.contains("    def get_users_me(self, **kwargs):"));
    let go = &out.files["bindings-c/go/platformclientv2/usersapi.go"];
    assert!(go.contains("func (a UsersApi) GetUsers(pageSize int, pageNumber int, id []string, jabberId []string, sortOrder string, expand []string, integrationPresenceSource string, userCustomAttributeSchemaIds []string, state string) (*UserEntityListing, *APIResponse, error) {"));
    assert!(go.contains("func (a UsersApi) PatchUser(userId string, body UpdateUser) (*User, *APIResponse, error) {"));
    assert!(go.contains("func (a UsersApi) GetUsersMeWithContext(ctx context.Context, "));
    // As the official Go SDK: an array body is returned as a slice, anything else as a
    // pointer; every model has SetField (explicit nulls) and a MarshalJSON that sends them.
    assert!(go.contains(
        "func (a UsersApi) PutUserProfileskills(userId string, body []string) ([]string, *APIResponse, error) {"
    ));
    assert!(go.contains("func (a UsersApi) DeleteUser(userId string) (*interface{}, *APIResponse, error) {"));
    for (path, content) in out.files.iter().filter(|(p, _)| p.starts_with("bindings-c/go/platformclientv2/")) {
        assert!(!content.contains(" (*[]"), "{path} returns a pointer to a slice");
    }
    let models_u = &out.files["bindings-c/go/platformclientv2/models_u.go"];
    assert!(models_u.contains("func (o *User) SetField(field string, fieldValue interface{}) {"));
    assert!(models_u.contains("func (o User) MarshalJSON() ([]byte, error) {"));
    // Multi-tag operations are in each tag's class; the catalog names the first.
    assert!(go.contains("func (a UsersApi) DeleteAnalyticsUsersDetailsJob(jobId string) (*APIResponse, error) {"));
    // Deprecated operations are marked in every language.
    let dep = api.operations.iter().find(|o| o.deprecated).unwrap();
    let module = purecore_codegen::python::module_name(&dep.class);
    let py = &out.files[&format!("bindings-python/python/purecore/_generated/{module}.py")];
    assert!(py.contains(&format!(
        "_warnings.warn('{} is deprecated', DeprecationWarning, stacklevel=2)",
        purecore_codegen::naming::snake_case(&dep.id)
    )));
    assert!(out.files[&format!("bindings-python/python/purecore/_generated/{module}.pyi")].contains("Deprecated:"));
    assert!(dts.contains("@deprecated"));
    // Every generated file starts with its header.
    for (path, content) in &out.files {
        assert!(purecore_codegen::is_generated(content.as_bytes()), "{path} has no header");
        if path.ends_with(".go") {
            // The standard line go vet and linters look for, exactly, as the first line.
            assert_eq!(content.lines().next(), Some(purecore_codegen::GO_GENERATED_LINE), "{path}");
        }
        assert!(
            content.starts_with("// generated by purecore-codegen from platform-api-v2.json")
                || content.starts_with("# generated by purecore-codegen from platform-api-v2.json")
                || content[..400.min(content.len())]
                    .contains("generated by purecore-codegen from platform-api-v2.json")
                || content[..400.min(content.len())].contains(purecore_codegen::tables::HEADER),
            "{path}"
        );
    }
}
