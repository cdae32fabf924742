//! `cargo xtask spec-diff-proof`: spec-diff's verdicts checked by the compiler.
//!
//! For every pair under `tests/spec_diff/<case>/{base,head}.yaml` it writes, under
//! `target/spec-diff-proof/`, the crate generated from `head.yaml` and a probe program
//! written from the crate of `base.yaml` (see `spec_diff::probe`) that depends on it. All
//! of them are one workspace, built by one `cargo build --keep-going` into one target
//! directory; each probe that builds is run (it calls `Client::new`). Every compiler error
//! is traced to the probe line's item, and the proof holds when each change spec-diff
//! calls breaking for Rust broke the probe and no other change did, with no failure left
//! unexplained.

use spec_diff::probe::{self, Failure, Proof};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One fixture pair, ready to build.
struct Case {
    name: String,
    lib: String,
    probe: String,
    report: spec_diff::report::Report,
}

fn package(case: &str) -> String {
    format!("{}-client", case.replace('_', "-"))
}

fn probe_package(case: &str) -> String {
    format!("probe-{}", case.replace('_', "-"))
}

pub fn run() -> Result<(), String> {
    let started = Instant::now();
    let root = crate::root();
    let cases_dir = root.join("tests/spec_diff");
    let out = root.join("target/spec-diff-proof");
    let mut names: Vec<String> = std::fs::read_dir(&cases_dir)
        .map_err(|e| format!("cannot read {}: {e}", cases_dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().join("base.yaml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut cases = Vec::new();
    for name in &names {
        cases.push(prepare(&cases_dir.join(name), name, &out)?);
    }
    write_workspace(&out, &names)?;
    let failures = build_until_settled(&out, &cases)?;
    let mut holds = true;
    let mut summary = Vec::new();
    for case in &cases {
        let mut found = failures.get(&case.name).cloned().unwrap_or_default();
        if found.is_empty() {
            found.extend(run_probe(&out, &case.name)?);
        }
        let mut proof = probe::attribute(&case.report, &case.lib, &found);
        let pinned = pinned_exceptions(&cases_dir.join(&case.name))?;
        for change in &mut proof.changes {
            if let Some(reason) = pinned.get(&change.summary)
                && change.failures.is_empty()
                && change.rust == spec_diff::change::Impact::Breaking
            {
                change.agrees = true;
                change.summary = format!("{} (compiles, pinned: {reason})", change.summary);
            }
        }
        print(case, &proof);
        holds &= proof.holds();
        let breaking = proof
            .changes
            .iter()
            .filter(|c| c.rust == spec_diff::change::Impact::Breaking)
            .count();
        summary.push(format!(
            "  {:<26} {:>2} changes ({breaking} Rust-breaking), {:>2} probe failures: {}",
            case.name,
            proof.changes.len(),
            found.len(),
            if proof.holds() { "agrees" } else { "DISAGREES" }
        ));
    }
    println!("\nspec-diff-proof ({} pairs):", cases.len());
    for line in summary {
        println!("{line}");
    }
    println!("in {:.0} s", started.elapsed().as_secs_f64());
    if holds {
        Ok(())
    } else {
        Err("the compiler disagrees with spec-diff on some change (see above)".into())
    }
}

/// Writes the new crate and the probe of one pair; returns what to check it against.
fn prepare(dir: &Path, name: &str, out: &Path) -> Result<Case, String> {
    let read = |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .map_err(|e| format!("cannot read {name}/{file}: {e}"))
    };
    let (base, head) = (read("base.yaml")?, read("head.yaml")?);
    let settings = generator::Settings::new(package(name), format!("{name}.yaml"));
    let (base_label, head_label) = (format!("{name}/base.yaml"), format!("{name}/head.yaml"));
    let compared = spec_diff::compared(
        spec_diff::Side {
            text: &base,
            origin: "base.yaml",
            label: &base_label,
            settings: &settings,
        },
        spec_diff::Side {
            text: &head,
            origin: "head.yaml",
            label: &head_label,
            settings: &settings,
        },
    )?;
    let case_dir = out.join(name);
    generator::check::write(&compared.new_crate, &case_dir.join("new"))
        .map_err(|e| format!("writing {name}/new: {e}"))?;
    let probe_dir = case_dir.join("probe");
    std::fs::create_dir_all(probe_dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nc = {{ package = \"{}\", path = \"../new\" }}\nserde_json = \"1\"\n",
        probe_package(name),
        package(name)
    );
    write_if_changed(&probe_dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&probe_dir.join("src/main.rs"), &compared.probe)?;
    Ok(Case {
        name: name.to_owned(),
        lib: compared.lib,
        probe: compared.probe,
        report: compared.report,
    })
}

/// `compiles-anyway.txt` of a pair: `summary | reason` lines for breaking changes the
/// compiler cannot see (a required argument replaced by another of the same type).
fn pinned_exceptions(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let Ok(text) = std::fs::read_to_string(dir.join("compiles-anyway.txt")) else {
        return Ok(BTreeMap::new());
    };
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" | "))
        .map(|(summary, reason)| (summary.trim().to_owned(), reason.trim().to_owned()))
        .collect())
}

/// Builds until no new error shows: after each build the erring lines of each probe are
/// disabled (see `probe::disable`), which shows the errors they hid. Returns every error
/// found, per case.
fn build_until_settled(
    out: &Path,
    cases: &[Case],
) -> Result<BTreeMap<String, Vec<Failure>>, String> {
    let names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
    let mut all: BTreeMap<String, Vec<Failure>> = BTreeMap::new();
    // Lines this loop rewrote: their errors are of its own making (`v()` where an
    // `impl Into<T>` needs a type), not the API's.
    let mut rewritten: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for round in 1..=6 {
        let found = build(out, &names, cases)?;
        let mut changed = false;
        for (name, failures) in found {
            let known = all.entry(name.clone()).or_default();
            let mine = rewritten.entry(name.clone()).or_default();
            let fresh: Vec<Failure> = failures
                .into_iter()
                .filter(|f| !known.contains(f) && !mine.contains(&f.line))
                .collect();
            mine.extend(fresh.iter().map(|f| f.line));
            if fresh.is_empty() {
                continue;
            }
            let path = probe_main(out, &name);
            let current = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            let lines: Vec<(usize, String)> =
                fresh.iter().map(|f| (f.line, f.message.clone())).collect();
            let disabled = probe::disable(&current, &lines);
            known.extend(fresh);
            if disabled != current {
                write_if_changed(&path, &disabled)?;
                changed = true;
            }
        }
        if !changed {
            println!("spec-diff-proof: settled after {round} builds");
            break;
        }
    }
    Ok(all)
}

/// Leaves an unchanged file alone, so cargo does not rebuild it.
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// One workspace of every pair's new crate and probe, pinned to this repository's lockfile.
fn write_workspace(out: &Path, names: &[String]) -> Result<(), String> {
    let members: Vec<String> = names
        .iter()
        .flat_map(|n| [format!("    \"{n}/new\","), format!("    \"{n}/probe\",")])
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    let lock = out.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(crate::root().join("Cargo.lock"), &lock).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Builds every probe at once (errors in one do not stop the others) and collects the
/// errors per case, each traced to its probe line's marker.
fn build(
    out: &Path,
    names: &[String],
    cases: &[Case],
) -> Result<BTreeMap<String, Vec<Failure>>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "build",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut failures: BTreeMap<String, Vec<Failure>> = BTreeMap::new();
    // Markers are read from the probe as written (disabled lines keep theirs anyway).
    let probes: BTreeMap<&str, &str> = cases
        .iter()
        .map(|c| (c.name.as_str(), c.probe.as_str()))
        .collect();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let text = message["message"]["message"].as_str().unwrap_or_default();
        if text.starts_with("aborting due to") || text.starts_with("could not compile") {
            continue;
        }
        let source = message["target"]["src_path"].as_str().unwrap_or_default();
        let Some(case) = names
            .iter()
            .find(|n| Path::new(source).starts_with(out.join(n.as_str())))
        else {
            continue;
        };
        let primary = message["message"]["spans"]
            .as_array()
            .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true));
        let line = primary
            .and_then(|s| s["line_start"].as_u64())
            .unwrap_or_default() as usize;
        let in_probe = primary
            .and_then(|s| s["file_name"].as_str())
            .is_some_and(|f| f.ends_with("main.rs"));
        let item = if in_probe {
            probes
                .get(case.as_str())
                .and_then(|p| probe::marker_at(p, line))
        } else {
            None
        };
        failures.entry(case.clone()).or_default().push(Failure {
            item,
            message: text.lines().next().unwrap_or_default().to_owned(),
            line,
        });
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() && failures.is_empty() {
        return Err(format!("cargo build failed outside the probes:\n{stderr}"));
    }
    Ok(failures)
}

fn probe_main(out: &Path, name: &str) -> PathBuf {
    out.join(name).join("probe/src/main.rs")
}

/// Runs a built probe: `Client::new` must succeed.
fn run_probe(out: &Path, name: &str) -> Result<Option<Failure>, String> {
    let binary = out.join("target/debug").join(probe_package(name));
    let output = Command::new(&binary)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if output.status.success() {
        return Ok(None);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr
        .lines()
        .find(|l| l.starts_with(probe::RUNTIME_MARKER))
        .unwrap_or("the probe failed at run time")
        .to_owned();
    Ok(Some(Failure {
        item: Some("Client::DEFAULT_BASE_URL".to_owned()),
        message,
        line: 0,
    }))
}

fn print(case: &Case, proof: &Proof) {
    println!(
        "\n== {} ({} probe lines)",
        case.name,
        case.probe.lines().count()
    );
    for change in &proof.changes {
        let mark = if change.agrees { "ok " } else { "BAD" };
        println!("  {mark} [{}] {}", change.rust.label(), change.summary);
        for f in &change.failures {
            let item = f.item.as_deref().unwrap_or("?");
            println!("        probe line {} ({item}): {}", f.line, f.message);
        }
    }
    for f in &proof.unexplained {
        let item = f.item.as_deref().unwrap_or("no marker");
        println!(
            "  BAD unexplained failure at probe line {} ({item}): {}",
            f.line, f.message
        );
    }
}
