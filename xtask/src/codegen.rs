//! `cargo xtask codegen [--check]`.

use generator::check::{self, Difference};
use generator::{Generated, Settings};
use std::time::Instant;

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/postman.yaml";
/// The generated crate, relative to the workspace root.
pub const OUT: &str = "generated";
pub const CRATE_NAME: &str = "postman-client";

pub enum Mode {
    Write,
    Check,
}

/// Generates the Postman client in memory.
pub fn generate() -> Result<Generated, String> {
    let root = crate::root();
    let text =
        std::fs::read_to_string(root.join(SPEC)).map_err(|e| format!("cannot read {SPEC}: {e}"))?;
    let settings = Settings::new(CRATE_NAME, SPEC).with_api_key_env("POSTMAN_API_KEY");
    generator::generate_from_str(&text, SPEC, &settings).map_err(|e| e.to_string())
}

pub fn run(mode: Mode) -> Result<(), String> {
    let started = Instant::now();
    let generated = generate()?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    let out = crate::root().join(OUT);
    let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
    match mode {
        Mode::Check => {
            let differences = check::compare(&generated.files, &out)
                .map_err(|e| format!("reading {OUT}/: {e}"))?;
            if differences.is_empty() {
                println!(
                    "{OUT}/ is up to date with {SPEC} ({} files, {lines} lines, {} ms)",
                    generated.files.len(),
                    started.elapsed().as_millis()
                );
                return Ok(());
            }
            for difference in &differences {
                eprintln!("{difference}");
            }
            let names: Vec<&str> = differences.iter().map(Difference::path).collect();
            Err(format!(
                "{OUT}/ is stale ({}): run `cargo xtask codegen` and commit the result",
                names.join(", ")
            ))
        }
        Mode::Write => {
            let changed =
                check::write(&generated.files, &out).map_err(|e| format!("writing {OUT}/: {e}"))?;
            for difference in &changed {
                match difference {
                    Difference::Missing(p) => println!("  created {OUT}/{p}"),
                    Difference::Changed { path, .. } => println!("  updated {OUT}/{path}"),
                    Difference::Extra(p) => println!("  removed {OUT}/{p}"),
                }
            }
            println!(
                "generated {OUT}/ from {SPEC}: {} files, {lines} lines, {} changed, {} ms",
                generated.files.len(),
                changed.len(),
                started.elapsed().as_millis()
            );
            Ok(())
        }
    }
}
