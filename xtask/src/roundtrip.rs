//! `cargo xtask roundtrip-collections`: real Postman collections for the round-trip tests,
//! in `target/roundtrip/collections/`.
//!
//! - The 12 OpenAPI documents of `cargo xtask corpus` (same pinned npm package), converted
//!   to Collection v2.1 by Postman's own converter (`openapi-to-postmanv2`, pinned in
//!   `package.json`) with `tests/roundtrip/convert.js` (deterministic).
//! - Every collection in an example of `spec/postman.yaml` (`spec-<operationId>-….json`).
//!
//! It then runs the official SDK (`postman-collection`) over them with
//! `tests/roundtrip/sdk.js`, which prints what the SDK's own round trip loses per file.
//! `cargo test -p tests --test roundtrip -- --ignored --nocapture` prints the same for
//! the Rust client.

use crate::tools::run;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/roundtrip/collections/`.
pub fn dir() -> PathBuf {
    crate::root()
        .join("target")
        .join("roundtrip")
        .join("collections")
}

pub fn run_roundtrip() -> Result<(), String> {
    crate::tools::ensure_npm()?;
    let root = crate::root();
    let out = dir();
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("clearing {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let documents = crate::corpus::fetch()?;
    let examples = write_spec_examples(&root.join("spec").join("postman.yaml"), &out)?;
    println!("==> {examples} collections from the examples of spec/postman.yaml");
    println!("==> converting {} OpenAPI documents", documents.len());
    // A document the converter rejects is reported and skipped; the others still count.
    if let Err(e) = run(Command::new("node")
        .arg(root.join("tests").join("roundtrip").join("convert.js"))
        .arg(&out)
        .args(&documents)
        .current_dir(&root))
    {
        eprintln!("warning: {e}");
    }
    println!("==> the official SDK's round trip (postman-collection)");
    run(Command::new("node")
        .arg(root.join("tests").join("roundtrip").join("sdk.js"))
        .arg(&out)
        .arg("--report")
        .arg(out.with_file_name("sdk-report.json"))
        .current_dir(&root))?;
    println!(
        "collections in {}; the Rust client's round trip: \
         cargo test -p tests --test roundtrip -- --ignored --nocapture",
        out.display()
    );
    Ok(())
}

/// Writes every collection found in a request or response example of the spec as
/// `spec-<operationId>-<request|status>.json`; returns how many.
pub fn write_spec_examples(spec: &Path, out: &Path) -> Result<usize, String> {
    let text =
        std::fs::read_to_string(spec).map_err(|e| format!("reading {}: {e}", spec.display()))?;
    let spec: Value =
        yaml_serde::from_str(&text).map_err(|e| format!("parsing {}: {e}", spec.display()))?;
    let mut written = 0;
    for collection in spec_collections(&spec) {
        let (name, value) = collection;
        let path = out.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        std::fs::write(&path, text + "\n")
            .map_err(|e| format!("writing {}: {e}", path.display()))?;
        written += 1;
    }
    Ok(written)
}

/// The collections in the examples of the spec, named `spec-<operationId>-<where>`.
pub fn spec_collections(spec: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let Some(paths) = spec["paths"].as_object() else {
        return found;
    };
    for item in paths.values() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for operation in item.values() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut bodies = vec![("request".to_owned(), &operation["requestBody"])];
            if let Some(responses) = operation["responses"].as_object() {
                bodies.extend(responses.iter().map(|(status, r)| (status.clone(), r)));
            }
            for (place, body) in bodies {
                let Some(content) = body["content"].as_object() else {
                    continue;
                };
                for media in content.values() {
                    let mut examples = Vec::new();
                    if let Some(e) = media.get("example") {
                        examples.push(e);
                    }
                    if let Some(named) = media["examples"].as_object() {
                        examples.extend(named.values().filter_map(|e| e.get("value")));
                    }
                    for (i, example) in examples.into_iter().enumerate() {
                        let collection = &example["collection"];
                        if collection.get("info").is_some() && collection.get("item").is_some() {
                            let suffix = if i == 0 {
                                String::new()
                            } else {
                                format!("-{i}")
                            };
                            found.push((format!("spec-{id}-{place}{suffix}"), collection.clone()));
                        }
                    }
                }
            }
        }
    }
    found
}
