//! `cargo xtask versions`: the same API written in OpenAPI 3.0 and in 3.1 gives the same
//! client.
//!
//! Each corpus document (3.0) is converted to 3.1 by `openapi-format --convertTo 3.1`
//! (pinned in `package.json`); both are generated, and their public surfaces (operations,
//! signatures, builders, responses: [`generator::surface::surface`], plus every type with
//! its fields or variants, [`listing::types`]) are compared. A difference fails the step
//! unless `tests/versions/<spec>.diff` pins it, with the reason on its `#` lines.
//!
//! `x-webhooks` is taken out before converting: the converter turns it into 3.1's
//! `webhooks`, whose payload types a 3.1 crate has, while 3.0 has no webhooks and the
//! generator reads no `x-webhooks` (GitHub's hundreds of payloads would be the whole diff).

mod listing;

use crate::generate::{crate_name_for, generate};
use crate::tools::{ensure_npm, node_bin};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The version every corpus document is converted to and compared at.
const TARGET: &str = "3.1";

pub fn run() -> Result<(), String> {
    ensure_npm()?;
    let specs = crate::corpus::fetch()?;
    let out = crate::root().join("target").join("versions");
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let pinned = crate::root().join("tests").join("versions");
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for spec in &specs {
        let label = label(spec);
        let converted = out.join(format!("{label}.{TARGET}.json"));
        convert(&without_webhooks(spec, &out, &label)?, &converted)?;
        let name = crate_name_for(spec);
        let original = listing_of(spec, &name)?;
        // A converted document the generator refuses is a difference like any other
        // (openapi-format has bugs that make invalid documents), pinned as its error.
        let diff = match listing_of(&converted, &name) {
            Ok(other) => unified(&original, &other, &label),
            Err(e) => format!("error: {e}\n"),
        };
        let expected = read_pinned(&pinned.join(format!("{label}.diff")));
        let differences = if diff.starts_with("error: ") {
            "refused".to_owned()
        } else {
            diff.lines().filter(|l| is_change(l)).count().to_string()
        };
        let actual = out.join(format!("{label}.diff"));
        // A diff left by an earlier run would mislead.
        let _ = std::fs::remove_file(&actual);
        if diff != expected {
            std::fs::write(&actual, &diff).map_err(|e| e.to_string())?;
            failures.push(format!(
                "{label}: the {TARGET} surface differs from the 3.0 one other than pinned in \
                 tests/versions/{label}.diff (the difference is in {})",
                actual.display()
            ));
        }
        rows.push(format!(
            "| {label} | {} | {differences} |",
            original.lines().count()
        ));
    }
    println!(
        "\n| spec | surface lines | lines that differ in {TARGET} (pinned) |\n|---|---:|---:|"
    );
    for row in &rows {
        println!("{row}");
    }
    if failures.is_empty() {
        println!(
            "\n{} documents: the {TARGET} crates match the 3.0 ones, or differ only as pinned",
            rows.len()
        );
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// `github.com/api.github.com.json` → `api.github.com`.
fn label(spec: &Path) -> String {
    spec.file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".json").to_owned())
        .unwrap_or_default()
}

fn convert(spec: &Path, out: &PathBuf) -> Result<(), String> {
    // `--no-sort` keeps the document's order, which decides the order (and so the
    // collision suffixes) of generated names.
    let output = Command::new(node_bin("openapi-format"))
        .arg(spec)
        .args(["--convertTo", TARGET, "--no-sort", "--output"])
        .arg(out)
        .output()
        .map_err(|e| format!("cannot run openapi-format: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "openapi-format failed on {}: {}{}",
            spec.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// `spec` without its `x-webhooks`: `spec` itself when it has none, else a copy.
fn without_webhooks(spec: &Path, out: &Path, label: &str) -> Result<PathBuf, String> {
    let text =
        std::fs::read_to_string(spec).map_err(|e| format!("reading {}: {e}", spec.display()))?;
    let mut doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    match doc
        .as_object_mut()
        .and_then(|d| d.shift_remove("x-webhooks"))
    {
        None => Ok(spec.to_path_buf()),
        Some(_) => {
            let copy = out.join(format!("{label}.3.0.json"));
            std::fs::write(&copy, doc.to_string()).map_err(|e| e.to_string())?;
            Ok(copy)
        }
    }
}

/// The surface listing of the crate `spec` generates.
fn listing_of(spec: &Path, name: &str) -> Result<String, String> {
    let (generated, _) = generate(spec, name)?;
    let mut text = generator::surface::surface(&generated.api);
    text.push_str(&listing::types(&generated.api));
    Ok(text)
}

/// A unified diff without context (empty when the texts are equal).
fn unified(original: &str, other: &str, label: &str) -> String {
    if original == other {
        return String::new();
    }
    similar::TextDiff::from_lines(original, other)
        .unified_diff()
        .context_radius(0)
        .header(&format!("{label} (3.0)"), &format!("{label} ({TARGET})"))
        .to_string()
}

fn is_change(line: &str) -> bool {
    (line.starts_with('+') && !line.starts_with("+++"))
        || (line.starts_with('-') && !line.starts_with("---"))
}

/// A pinned diff without its `#` explanation lines; empty when there is none.
fn read_pinned(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}
