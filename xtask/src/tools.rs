//! Installs the pinned external tools that `cargo xtask lint` and `cargo xtask contract`
//! run: the npm packages of `package.json` (exact versions, `package-lock.json`) into
//! `node_modules/`, and the Python packages of `spec/requirements-lint.txt` into a
//! virtualenv at `target/lint-venv/`.
//!
//! Each install is skipped when a stamp file (the SHA-256 of the files it was installed
//! from) says it is current, so a re-run costs nothing.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the Python linter is installed.
fn venv_dir() -> PathBuf {
    crate::root().join("target").join("lint-venv")
}

/// The path of an npm package's executable in `node_modules/.bin`.
pub fn node_bin(name: &str) -> PathBuf {
    crate::root().join("node_modules").join(".bin").join(name)
}

/// The path of an executable of the lint virtualenv.
pub fn venv_bin(name: &str) -> PathBuf {
    venv_dir().join("bin").join(name)
}

/// Runs `npm ci` unless `node_modules/` was installed from the current
/// `package.json` and `package-lock.json`.
pub fn ensure_npm() -> Result<(), String> {
    let root = crate::root();
    let wanted = digest(&[&root.join("package.json"), &root.join("package-lock.json")])?;
    let stamp = root.join("node_modules").join(".xtask-installed");
    if read_stamp(&stamp).as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("==> npm ci (package-lock.json changed or node_modules/ missing)");
    // The only install script in the lock file is @scarf/scarf's usage telemetry.
    run(Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .env("npm_config_update_notifier", "false")
        .current_dir(&root))?;
    write_stamp(&stamp, &wanted)
}

/// Creates `target/lint-venv/` and installs `spec/requirements-lint.txt` into it, unless
/// it was installed from the current requirements.
pub fn ensure_venv() -> Result<(), String> {
    let requirements = crate::root().join("spec").join("requirements-lint.txt");
    let wanted = digest(&[&requirements])?;
    let venv = venv_dir();
    let stamp = venv.join(".xtask-installed");
    if read_stamp(&stamp).as_deref() == Some(wanted.as_str()) && venv_bin("python").exists() {
        return Ok(());
    }
    if !venv_bin("python").exists() {
        println!("==> python3 -m venv {}", venv.display());
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    println!("==> pip install -r spec/requirements-lint.txt");
    run(Command::new(venv_bin("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    write_stamp(&stamp, &wanted)
}

fn digest(files: &[&Path]) -> Result<String, String> {
    let mut hasher = Sha256::new();
    for file in files {
        let bytes = std::fs::read(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        hasher.update(&bytes);
    }
    Ok(hasher.finalize().iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    }))
}

fn read_stamp(stamp: &Path) -> Option<String> {
    std::fs::read_to_string(stamp)
        .ok()
        .map(|s| s.trim().to_owned())
}

fn write_stamp(stamp: &Path, digest: &str) -> Result<(), String> {
    std::fs::write(stamp, format!("{digest}\n"))
        .map_err(|e| format!("writing {}: {e}", stamp.display()))
}

/// Runs `command`, failing with its description unless it exits with success.
pub(crate) fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {status}"))
    }
}
