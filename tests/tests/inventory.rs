//! The spec covers the Postman API inventory, and the contract test covers the spec.
//!
//! `tests/inventory/endpoints.json` holds the method and path of each of the 86
//! operations of our Postman API inventory (copied from its `endpoints.json`, with the
//! group and name for readable messages), so that this check needs nothing outside the
//! repository.

use std::collections::BTreeSet;

use serde_json::Value;

const INVENTORY_OPERATIONS: usize = 86;
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// `(METHOD, path)` of every inventory operation, with its group and name.
fn inventory() -> Vec<(String, String, String)> {
    let entries: Vec<Value> =
        serde_json::from_str(&read("tests/inventory/endpoints.json")).expect("inventory is JSON");
    entries
        .iter()
        .map(|e| {
            let field = |name: &str| {
                e[name]
                    .as_str()
                    .unwrap_or_else(|| panic!("inventory entry without {name}: {e}"))
                    .to_owned()
            };
            (
                field("method"),
                field("path"),
                format!("{} / {}", field("group"), field("name")),
            )
        })
        .collect()
}

/// `(METHOD, path, operationId)` of every operation of the spec.
fn spec_operations() -> Vec<(String, String, String)> {
    let spec: Value = yaml_serde::from_str(&read("spec/postman.yaml")).expect("spec is YAML");
    let paths = spec["paths"].as_object().expect("spec has paths");
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let id = operation["operationId"].as_str().unwrap_or("").to_owned();
                out.push((method.to_uppercase(), path.clone(), id));
            }
        }
    }
    out
}

#[test]
fn every_inventory_operation_is_in_the_spec() {
    let inventory = inventory();
    assert_eq!(inventory.len(), INVENTORY_OPERATIONS, "inventory size");
    let unique: BTreeSet<(&str, &str)> = inventory
        .iter()
        .map(|(m, p, _)| (m.as_str(), p.as_str()))
        .collect();
    assert_eq!(unique.len(), inventory.len(), "duplicate inventory entries");

    let spec = spec_operations();
    let in_spec: BTreeSet<(&str, &str)> = spec
        .iter()
        .map(|(m, p, _)| (m.as_str(), p.as_str()))
        .collect();
    let missing: Vec<String> = inventory
        .iter()
        .filter(|(m, p, _)| !in_spec.contains(&(m.as_str(), p.as_str())))
        .map(|(m, p, name)| format!("{m} {p} ({name})"))
        .collect();
    assert!(
        missing.is_empty(),
        "{} inventory operation(s) missing from spec/postman.yaml:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
    let extra: Vec<String> = spec
        .iter()
        .filter(|(m, p, _)| !unique.contains(&(m.as_str(), p.as_str())))
        .map(|(m, p, id)| format!("{m} {p} ({id})"))
        .collect();
    assert!(
        extra.is_empty(),
        "spec/postman.yaml has operation(s) the inventory does not list:\n  {}",
        extra.join("\n  ")
    );
}

/// The contract test (`tests/tests/contract.rs`, run by `cargo xtask contract`) calls
/// every operation of the spec; it checks that again at run time, this is the quick
/// check that runs with `cargo test`.
#[test]
fn the_contract_test_calls_every_spec_operation() {
    let contract = read("tests/tests/contract.rs");
    let not_called: Vec<String> = spec_operations()
        .into_iter()
        .filter(|(_, _, id)| !contract.contains(&format!("call!(r, \"{id}\",")))
        .map(|(m, p, id)| format!("{id} ({m} {p})"))
        .collect();
    assert!(
        not_called.is_empty(),
        "tests/tests/contract.rs does not call:\n  {}",
        not_called.join("\n  ")
    );
}
