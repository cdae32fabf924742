//! `cargo xtask compat`: additions to an API are not breaking changes of its generated
//! crate, proven by compiling.
//!
//! `tests/compat/user.rs` uses the crate generated from `tests/compat/old.yaml` the way
//! users do (structs built with `new` and setters, fields read, enums matched with the arms
//! `#[non_exhaustive]` asks for). It is compiled against the crate of `old.yaml`, then of
//! `new.yaml` (only additions: it must compile), then of each `breaking_*.yaml` (it must
//! fail, with the error code the document's header names, so the check is able to fail).
//! Every side is generated into `target/compat/compat-client` in turn, and checked in the
//! target directory `cargo xtask fixtures` builds the same dependencies in.

use crate::generate::generate;
use generator::check;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The crate name every side is generated under, so the user's code names one crate.
const CLIENT: &str = "compat-client";

pub fn run() -> Result<(), String> {
    let started = Instant::now();
    let cases = crate::root().join("tests").join("compat");
    let dir = crate::root().join("target").join("compat");
    write_user_workspace(&dir, &cases.join("user.rs"))?;
    let mut breaking = Vec::new();
    for entry in
        std::fs::read_dir(&cases).map_err(|e| format!("reading {}: {e}", cases.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = file_name(&path);
        if name.starts_with("breaking_") && name.ends_with(".yaml") {
            breaking.push(path);
        }
    }
    breaking.sort();
    if breaking.is_empty() {
        return Err(format!("no breaking_*.yaml in {}", cases.display()));
    }

    for side in ["old.yaml", "new.yaml"] {
        let outcome = check_against(&dir, &cases.join(side))?;
        if !outcome.ok {
            return Err(format!(
                "user.rs does not compile against the crate of {side}:\n{}",
                outcome.errors
            ));
        }
        println!("    {side}: user.rs compiles ({:.1} s)", outcome.seconds);
    }
    for spec in &breaking {
        let side = file_name(spec);
        let text = std::fs::read_to_string(spec).map_err(|e| format!("reading {side}: {e}"))?;
        let code = expected_error(&text)
            .ok_or_else(|| format!("{side}: its header names no error code (such as E0061)"))?;
        let outcome = check_against(&dir, spec)?;
        if outcome.ok {
            return Err(format!(
                "user.rs compiles against the crate of {side}, which should break it"
            ));
        }
        if !outcome.errors.contains(&format!("error[{code}]")) {
            return Err(format!(
                "user.rs fails against the crate of {side}, but not with {code}:\n{}",
                outcome.errors
            ));
        }
        println!(
            "    {side}: user.rs fails with {code}, as it must ({:.1} s)",
            outcome.seconds
        );
    }
    println!(
        "compat: a user of old.yaml's crate compiles against new.yaml's and fails against {} breaking change(s), in {:.0?}",
        breaking.len(),
        started.elapsed()
    );
    Ok(())
}

struct Outcome {
    ok: bool,
    /// The error lines cargo printed.
    errors: String,
    seconds: f64,
}

/// Generates `spec`'s crate as the user's dependency and checks the user's crate.
fn check_against(dir: &Path, spec: &Path) -> Result<Outcome, String> {
    let (generated, _) = generate(spec, CLIENT)?;
    check::write(&generated.files, &dir.join(CLIENT))
        .map_err(|e| format!("writing {CLIENT}: {e}"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["check", "--message-format=short", "-p", "compat-user"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target())
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("error") || l.contains("warning"))
        .collect();
    Ok(Outcome {
        ok: output.status.success(),
        errors: errors.join("\n"),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The target directory of `cargo xtask fixtures`, whose generated crates have the same
/// dependencies with the same features and lockfile: run after it (as `cargo xtask ci`
/// does), this step builds no dependency.
fn shared_target() -> PathBuf {
    crate::root()
        .join("target")
        .join("fixture-crates")
        .join("target")
}

/// A workspace of the user's crate (whose source stays in `tests/compat/`) and the client
/// crate it depends on, pinned to this repository's lockfile.
fn write_user_workspace(dir: &Path, source: &Path) -> Result<(), String> {
    let user = dir.join("user");
    std::fs::create_dir_all(&user).map_err(|e| e.to_string())?;
    let write = |path: PathBuf, text: String| -> Result<(), String> {
        // Unchanged files keep their time stamps, so cargo reuses what it built.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        }
        Ok(())
    };
    write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"user\", \"compat-client\"]\n".to_owned(),
    )?;
    let source = source.display().to_string();
    write(
        user.join("Cargo.toml"),
        format!(
            "[package]\nname = \"compat-user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [lib]\npath = {source:?}\n\n\
             [dependencies]\n{CLIENT} = {{ path = \"../{CLIENT}\" }}\n"
        ),
    )?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(crate::root().join("Cargo.lock"), &lock).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The error code (`E0061`) a breaking document's header comment names.
fn expected_error(text: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .flat_map(|l| l.split(|c: char| !c.is_ascii_alphanumeric()))
        .find(|word| {
            word.len() == 5
                && word.starts_with('E')
                && word[1..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_owned)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::expected_error;

    #[test]
    fn the_expected_error_comes_from_the_header_comment() {
        let text = "# breaks: a new argument of `new`\n# (E0061).\nopenapi: 3.0.3\n# E0599\n";
        assert_eq!(expected_error(text).as_deref(), Some("E0061"));
        assert_eq!(expected_error("openapi: 3.0.3\n# E0061\n"), None);
        assert_eq!(expected_error("# E061 or E00610\n"), None);
    }
}
