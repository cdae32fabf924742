//! Shared helpers for the integration tests in `tests/tests/`.

/// The README's Rust examples, compiled by `cargo test --doc -p tests` so that they keep
/// up with the generated client.
#[doc = include_str!("../README.md")]
mod readme {}

pub mod fuzz;
pub mod raw;
pub mod window;

use std::collections::BTreeMap;

/// Generates a fixture spec with test settings.
pub fn generate_fixture(path: &std::path::Path) -> Result<generator::Generated, generator::Error> {
    let text = std::fs::read_to_string(path).map_err(|e| generator::Error::Internal {
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The fixture's path from the repository root, as the banner of each file names it.
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let origin = match (
        std::fs::canonicalize(workspace),
        std::fs::canonicalize(path),
    ) {
        (Ok(workspace), Ok(path)) => path
            .strip_prefix(&workspace)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .ok(),
        _ => None,
    }
    .unwrap_or_else(|| format!("tests/fixtures/{name}"));
    let settings = generator::Settings::new(
        format!(
            "{}-client",
            name.trim_end_matches(".yaml").replace('_', "-")
        ),
        origin,
    );
    generator::generate_from_str(&text, &name, &settings)
}

/// The generated files worth pinning: everything but the runtime, which is copied verbatim
/// and tested in its own crate (`runtime/`).
pub fn spec_dependent_files(files: &BTreeMap<String, String>) -> Vec<(&String, &String)> {
    files
        .iter()
        .filter(|(path, _)| !generator::runtime::is_runtime_path(path))
        .collect()
}
