//! Writes the per-language declarations of the settings from the one schema
//! (`purecore::config::schema::SETTINGS`) and fails when a committed copy differs
//! from a fresh generation. `PURECORE_UPDATE_SETTINGS=1 cargo test -p purecore --test
//! settings_declarations` rewrites them. The files:
//!
//! - `bindings-node/generated/settings.d.ts`: `SettingsPatch` and `SettingValues`;
//! - `bindings-python/python/purecore/_settings_schema.py`: `SettingsPatch` (a TypedDict);
//! - `bindings-c/go/platformclientv2/settings_schema.go`: a constant per setting name;
//! - `core/SETTINGS.md`: a table for people;
//! - `bindings-node/lib/official-names.js` and `OFFICIAL_NAMES` of the Python file: the
//!   official names that are one-setting patches (`purecore::config::official`).
//!
//! Each carries the setting's doc, unit, default, allowed values, config-file key and
//! environment variable.

use std::fmt::Write as _;
use std::path::PathBuf;

use purecore::config::official::{self, Language};
use purecore::config::schema::{setting, Setting, Unit, SETTINGS};

const SOURCE: &str = "core/src/config/schema.rs by core/tests/settings_declarations.rs";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One line describing a setting beyond its doc.
fn details(s: &Setting) -> String {
    let mut d = format!("Unit: {}. Default: {}. Allowed: {}.", s.unit.name(), s.default, s.unit.allowed());
    if let Some((section, key)) = s.file {
        let _ = write!(d, " Config file: [{section}] {key}.");
    }
    let _ = write!(d, " Environment: {}.", s.env_var());
    d
}

/// The Markdown list of every setting, for people: name, environment variable,
/// config-file key, unit, default and doc.
fn markdown() -> String {
    let mut out = format!(
        "<!-- Generated from purecore's settings schema ({SOURCE}). DO NOT EDIT. -->\n\n\
         # Settings\n\n\
         Every setting of a purecore client, by the dotted name every binding's settings\n\
         patch uses (`applyConfig`, `apply_config`, `ApplySettings`, `purecore_config_apply_json`).\n\
         Durations are seconds. Each can also be set by its environment variable, read when a\n\
         client is created: it fills in what the code left at its default, and the config file\n\
         overrides the keys it holds (defaults < environment < code < config file). Lists and\n\
         `default_headers` are JSON in a variable; switches take true/false, yes/no, on/off, 1/0.\n\n\
         | setting | environment variable | config file | values | default | what it does |\n|---|---|---|---|---|---|\n"
    );
    for s in SETTINGS {
        let file = s.file.map_or(String::new(), |(section, key)| format!("`[{section}] {key}`"));
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {file} | {} | `{}` | {} |",
            s.name,
            s.env_var(),
            s.unit.allowed(),
            s.default,
            s.doc.replace('|', "\\|")
        );
    }
    out
}

fn ts_type(u: Unit) -> String {
    match u {
        Unit::Seconds | Unit::Count(_) | Unit::Bytes => "number".into(),
        Unit::Bool => "boolean".into(),
        Unit::Text | Unit::SecretText => "string".into(),
        Unit::Choice(words) => words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" | "),
        Unit::Statuses => "number[]".into(),
        Unit::TextList => "string[]".into(),
        Unit::Headers => "Record<string, string>".into(),
    }
}

fn py_type(u: Unit) -> String {
    match u {
        Unit::Seconds => "float".into(),
        Unit::Count(_) | Unit::Bytes => "int".into(),
        Unit::Bool => "bool".into(),
        Unit::Text | Unit::SecretText => "str".into(),
        Unit::Choice(words) => {
            format!("Literal[{}]", words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", "))
        }
        Unit::Statuses => "List[int]".into(),
        Unit::TextList => "List[str]".into(),
        Unit::Headers => "Dict[str, str]".into(),
    }
}

fn typescript() -> String {
    let mut out = format!(
        "// Code generated from purecore's settings schema ({SOURCE}). DO NOT EDIT.\n\n\
         /**\n * A change of settings for `ApiClient.applyConfig`: purecore's setting names to values\n \
         * (durations in seconds); `null` restores the default. Sections may also be nested\n \
         * objects (`{{retry: {{max_retries: 5}}}}`).\n */\nexport interface SettingsPatch {{\n"
    );
    for s in SETTINGS {
        let _ = write!(out, "  /** {} {} */\n  '{}'?: {} | null;\n", s.doc, details(s), s.name, ts_type(s.unit));
    }
    out.push_str(
        "}\n\n/** Every setting's current value (`ApiClient.settings`), plus the effective bases and config file. */\n\
         export type SettingValues = { readonly [K in keyof SettingsPatch]-?: Exclude<SettingsPatch[K], null | undefined> } & {\n  \
         readonly api_base: string;\n  readonly login_base: string;\n  readonly config_path: string | null;\n};\n",
    );
    out
}

fn python() -> String {
    let mut out = format!(
        "# Code generated from purecore's settings schema ({SOURCE}). DO NOT EDIT.\n\
         \"\"\"The settings `ApiClient.apply_config` takes: purecore's setting names to values\n\
         (durations in seconds; None restores the default).\"\"\"\n\n\
         from typing import Dict, List, Literal, Optional, TypedDict, Union\n\n\
         SettingsPatch = TypedDict(\n    \"SettingsPatch\",\n    {{\n"
    );
    for s in SETTINGS {
        let _ = writeln!(out, "        # {} {}", s.doc, details(s));
        let ty = py_type(s.unit);
        let ty = if s.unit == Unit::Seconds { "Union[int, float]".to_owned() } else { ty };
        let _ = writeln!(out, "        \"{}\": Optional[{ty}],", s.name);
    }
    out.push_str("    },\n    total=False,\n)\n\n");
    out.push_str("#: Every setting name, in the order a patch applies them.\nSETTING_NAMES = (\n");
    for s in SETTINGS {
        let _ = writeln!(out, "    \"{}\",", s.name);
    }
    out.push_str(")\n");
    out.push_str(
        "\n#: The official names that are one-setting patches, by the class holding them:\n\
         #: (official name, setting, conversion, doc). _configuration.py makes a property of each.\n\
         OFFICIAL_NAMES = {\n",
    );
    for owner in ["Configuration", "Logger", "RetryConfiguration"] {
        let _ = writeln!(out, "    \"{owner}\": (");
        for o in official::of(Language::Python, owner) {
            let _ =
                writeln!(out, "        ({:?}, {:?}, {:?}, {:?}),", o.name, o.setting, o.conversion, official_doc(o));
        }
        out.push_str("    ),\n");
    }
    out.push_str("}\n");
    out
}

/// The doc of an official name: its note, else its setting's doc.
fn official_doc(o: &official::OfficialName) -> &'static str {
    if o.note.is_empty() {
        setting(o.setting).map_or("", |s| s.doc)
    } else {
        o.note
    }
}

/// `lib/official-names.js`: the Node accessors `configuration.js` defines.
fn node_official() -> String {
    let mut out = format!(
        "// Code generated from purecore's settings schema ({SOURCE}). DO NOT EDIT.\n\
         'use strict';\n\
         // The official names that are one-setting patches (core/src/config/official.rs), by the\n\
         // class holding them: name -> [setting, conversion, doc]. configuration.js defines an\n\
         // accessor for each.\n\n\
         module.exports = {{\n"
    );
    for owner in ["Configuration", "Logger"] {
        let _ = writeln!(out, "  {owner}: {{");
        for o in official::of(Language::Node, owner) {
            let _ = writeln!(
                out,
                "    {}: [{}, {}, {}],",
                o.name,
                serde_json::to_string(o.setting).unwrap_or_default().replace('"', "'"),
                serde_json::to_string(o.conversion).unwrap_or_default().replace('"', "'"),
                serde_json::to_string(official_doc(o)).unwrap_or_default().replace('\'', "\\'").replace('"', "'")
            );
        }
        out.push_str("  },\n");
    }
    out.push_str("};\n");
    out
}

fn go_name(name: &str) -> String {
    let mut out = String::from("Setting");
    for part in name.split(['.', '_']) {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.extend(first.to_uppercase());
            out.push_str(cs.as_str());
        }
    }
    out
}

fn go() -> String {
    let mut out = format!(
        "// Code generated from purecore's settings schema ({SOURCE}). DO NOT EDIT.\n\n\
         package platformclientv2\n\n\
         // The names of purecore's settings, for Configuration.ApplySettings (durations in\n\
         // seconds; nil restores the default).\nconst (\n"
    );
    for s in SETTINGS {
        let _ = write!(
            out,
            "\t// {} is {}: {} {}\n\t{} = \"{}\"\n",
            go_name(s.name),
            s.name,
            s.doc,
            details(s),
            go_name(s.name),
            s.name
        );
    }
    out.push_str(")\n");
    out
}

#[test]
fn generated_settings_declarations_are_current() {
    let files = [
        ("bindings-node/generated/settings.d.ts", typescript()),
        ("bindings-python/python/purecore/_settings_schema.py", python()),
        ("bindings-c/go/platformclientv2/settings_schema.go", go()),
        ("core/SETTINGS.md", markdown()),
        ("bindings-node/lib/official-names.js", node_official()),
    ];
    let update = std::env::var("PURECORE_UPDATE_SETTINGS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for (rel, content) in &files {
        let path = root().join(rel);
        if update {
            std::fs::write(&path, content).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            stale.push(*rel);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from the settings schema: run PURECORE_UPDATE_SETTINGS=1 cargo test -p purecore --test settings_declarations"
    );
}

/// The text of `class <owner>` in a declaration file: from its header to the next line
/// that starts a top-level declaration.
fn class_block<'a>(text: &'a str, header: &str) -> Option<&'a str> {
    let start = text.find(header)?;
    let rest = &text[start + header.len()..];
    let end = rest
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| rest[i..].starts_with(|c: char| !c.is_whitespace() && c != '}'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The generated official names are typed for users: each is declared in the hand-written
/// `index.d.ts` (Node) or `_configuration.pyi` (Python) under its class.
#[test]
fn official_names_are_declared_for_users() {
    let node = std::fs::read_to_string(root().join("bindings-node/index.d.ts")).unwrap();
    let python = std::fs::read_to_string(root().join("bindings-python/python/purecore/_configuration.pyi")).unwrap();
    let mut missing = Vec::new();
    for o in official::OFFICIAL_NAMES {
        let found = match o.language {
            Language::Node => class_block(&node, &format!("export declare class {} {{", o.owner))
                .is_some_and(|b| b.contains(&format!("\n  {}:", o.name))),
            Language::Python => class_block(&python, &format!("class {}:", o.owner)).is_some_and(|b| {
                b.contains(&format!("\n    {}:", o.name)) || b.contains(&format!("\n    def {}(", o.name))
            }),
        };
        if !found {
            missing.push(format!("{:?} {}.{}", o.language, o.owner, o.name));
        }
    }
    assert!(missing.is_empty(), "official names without a declaration for users: {missing:?}");
}
