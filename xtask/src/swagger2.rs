//! `cargo xtask swagger2`: the Swagger 2.0 converter against an oracle.
//!
//! Every Swagger 2.0 document of `@readme/oas-examples` (pinned, fetched with `npm pack`)
//! is generated twice: from the 2.0 text (our converter) and from its 3.0 conversion by
//! `swagger2openapi` (pinned in `package.json`). The two crates must have the same public
//! surface (`generator::surface`): a difference fails unless it is pinned, with its
//! explanation, in `tests/versions/swagger2/<document>.diff`. Then all the crates must
//! compile without warnings (one `cargo check` over all of them).

use crate::generate::generate;
use crate::npm_pack::Pinned;
use crate::tools::{ensure_npm, node_bin, run};
use generator::check;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const EXAMPLES: Pinned = Pinned {
    package: "@readme/oas-examples@8.2.2",
    tarball: "readme-oas-examples-8.2.2.tgz",
    sha256: "df951ee87b5b069c86148bf5bbf3923d6cfd27fb95a45aacb95f06b31f604241",
};

/// The package's Swagger 2.0 documents.
const FOLDER: &str = "package/2.0/json";

/// Set to write the differences found into the pinned files (to be explained and
/// reviewed) instead of failing on them.
const BLESS: &str = "SWAGGER2_BLESS";

pub fn run_swagger2() -> Result<(), String> {
    let started = Instant::now();
    let dir = crate::root().join("target").join("swagger2");
    let src = EXAMPLES.unpack(&dir, &[FOLDER])?;
    let documents = json_files(&src.join(FOLDER))?;
    ensure_npm()?;
    let converted = dir.join("swagger2openapi");
    std::fs::create_dir_all(&converted).map_err(|e| e.to_string())?;
    let crates = dir.join("crates");
    let pinned_dir = crate::root()
        .join("tests")
        .join("versions")
        .join("swagger2");
    let bless = std::env::var_os(BLESS).is_some();
    let mut members = Vec::new();
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for document in &documents {
        let stem = stem(document);
        let oracle_text = converted.join(format!("{stem}.json"));
        run(Command::new(node_bin("swagger2openapi"))
            .arg(document)
            .arg("--outfile")
            .arg(&oracle_text))?;
        let ours_name = format!("s2-{stem}-client");
        let oracle_name = format!("s2o-{stem}-client");
        let (ours, _) = generate(document, &ours_name)?;
        let (oracle, _) = generate(&oracle_text, &oracle_name)?;
        for (name, generated) in [(&ours_name, &ours), (&oracle_name, &oracle)] {
            check::write(&generated.files, &crates.join(name))
                .map_err(|e| format!("writing {name}: {e}"))?;
            members.push(name.clone());
        }
        let diff = surface_diff(
            &generator::surface::surface(&ours.api),
            &generator::surface::surface(&oracle.api),
        );
        let pinned_file = pinned_dir.join(format!("{stem}.diff"));
        let outcome = compare(&pinned_file, &diff, bless)?;
        if let Some(problem) = &outcome.problem {
            problems.push(format!("{stem}: {problem}"));
        }
        rows.push(format!(
            "| {stem} | {} | {} | {} |",
            ours.api
                .modules
                .iter()
                .map(|m| m.operations.len())
                .sum::<usize>(),
            ours.warnings.len(),
            outcome.label
        ));
    }
    write_workspace(&crates, &members)?;
    println!(
        "==> cargo check of {} crates (target dir shared with cargo xtask corpus)",
        members.len()
    );
    let warnings = cargo_check(&crates)?;
    println!(
        "\n| document | operations | warnings of the conversion and generation | surface against swagger2openapi |\n|---|---:|---:|---|"
    );
    for row in &rows {
        println!("{row}");
    }
    let count = |label: &str| {
        rows.iter()
            .filter(|r| r.ends_with(&format!("| {label} |")))
            .count()
    };
    println!(
        "\n{} documents: {} identical surfaces, {} explained differences; {} crates compile with {warnings} warnings ({:.0?})",
        documents.len(),
        count("identical"),
        count("explained difference"),
        members.len(),
        started.elapsed()
    );
    if warnings > 0 {
        problems.push(format!("{warnings} compiler warnings"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

struct Outcome {
    label: &'static str,
    problem: Option<String>,
}

/// Checks `diff` against the pinned file (whose `#` lines explain it).
fn compare(pinned_file: &Path, diff: &str, bless: bool) -> Result<Outcome, String> {
    let pinned = std::fs::read_to_string(pinned_file).ok();
    let (explanation, pinned_diff) = match &pinned {
        Some(text) => split_explanation(text),
        None => (String::new(), String::new()),
    };
    if diff == pinned_diff {
        let label = if diff.is_empty() {
            "identical"
        } else {
            "explained difference"
        };
        let problem = (!diff.is_empty() && explanation.trim().is_empty()).then(|| {
            format!(
                "{} pins a difference without explaining it (`#` lines)",
                pinned_file.display()
            )
        });
        return Ok(Outcome { label, problem });
    }
    if bless {
        if diff.is_empty() {
            std::fs::remove_file(pinned_file).map_err(|e| e.to_string())?;
        } else {
            if let Some(parent) = pinned_file.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(pinned_file, format!("{explanation}{diff}"))
                .map_err(|e| e.to_string())?;
        }
        return Ok(Outcome {
            label: "written",
            problem: None,
        });
    }
    println!("{diff}");
    Ok(Outcome {
        label: "UNEXPLAINED",
        problem: Some(format!(
            "the surface differs from swagger2openapi's other than {} pins (diff above; rerun with {BLESS}=1 and explain it)",
            pinned_file.display()
        )),
    })
}

/// The leading `#` lines of a pinned file, and the rest.
fn split_explanation(text: &str) -> (String, String) {
    let cut = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        .min(text.len());
    (text[..cut].to_owned(), text[cut..].to_owned())
}

fn surface_diff(ours: &str, oracle: &str) -> String {
    if ours == oracle {
        return String::new();
    }
    similar::TextDiff::from_lines(ours, oracle)
        .unified_diff()
        .context_radius(2)
        .header("ours (from Swagger 2.0)", "swagger2openapi 7.0.8")
        .to_string()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

fn write_workspace(crates: &Path, members: &[String]) -> Result<(), String> {
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(crates.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The repository's lock file pins the same dependency versions as everywhere else.
    std::fs::copy(crate::root().join("Cargo.lock"), crates.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// One `cargo check --workspace` in the target dir of `cargo xtask corpus` (which ran
/// before in `ci`, so the dependencies are built); the number of warnings.
fn cargo_check(crates: &Path) -> Result<usize, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = crate::root()
        .join("target")
        .join("corpus")
        .join("crates")
        .join("target");
    let output = Command::new(cargo)
        .args(["check", "--workspace", "--message-format=short"])
        .current_dir(crates)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": warning:"))
        .collect();
    for line in stderr
        .lines()
        .filter(|l| l.contains("error:") || l.contains("error[") || l.contains(": warning:"))
        .take(30)
    {
        eprintln!("    {line}");
    }
    if output.status.success() {
        Ok(warnings.len())
    } else {
        Err("cargo check of the Swagger 2.0 crates failed".to_owned())
    }
}
