//! `cargo xtask generate --spec <file> --out <dir> [--name <crate name>]`: any OpenAPI 3.0,
//! 3.1 or 3.2 document to a standalone client crate.

use generator::{Generated, Settings, check};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct Options {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub name: Option<String>,
}

impl Options {
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut spec = None;
        let mut out = None;
        let mut name = None;
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = || {
                rest.next()
                    .map(|v| v.to_string())
                    .ok_or_else(|| format!("{arg} needs a value"))
            };
            match *arg {
                "--spec" => spec = Some(PathBuf::from(value()?)),
                "--out" => out = Some(PathBuf::from(value()?)),
                "--name" => name = Some(value()?),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(Options {
            spec: spec.ok_or("--spec <file> is required")?,
            out: out.ok_or("--out <dir> is required")?,
            name,
        })
    }
}

/// A crate name from a spec's file name: `api.github.com.json` → `api-github-com-client`.
pub fn crate_name_for(spec: &Path) -> String {
    let stem = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem
        .trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "api-");
    }
    format!("{}-client", name.trim_matches('-'))
}

/// Generates a crate from `spec` (timing only the generation, not the I/O).
pub fn generate(spec: &Path, name: &str) -> Result<(Generated, Duration), String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let origin = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let settings = Settings::new(name, origin.clone());
    let started = Instant::now();
    let generated = generator::generate_from_str(&text, &origin, &settings)
        .map_err(|e| format!("{origin}: {e}"))?;
    Ok((generated, started.elapsed()))
}

pub fn run(options: Options) -> Result<(), String> {
    let name = options
        .name
        .unwrap_or_else(|| crate_name_for(&options.spec));
    let (generated, elapsed) = generate(&options.spec, &name)?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    check::write(&generated.files, &options.out)
        .map_err(|e| format!("writing {}: {e}", options.out.display()))?;
    println!(
        "generated {} ({} files) into {} in {} ms, {} warnings",
        name,
        generated.files.len(),
        options.out.display(),
        elapsed.as_millis(),
        generated.warnings.len()
    );
    Ok(())
}
