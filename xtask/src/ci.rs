//! `cargo xtask ci`: the one command that checks everything, locally and in CI.

use std::process::Command;
use std::time::Instant;

pub fn run() -> Result<(), String> {
    let started = Instant::now();
    ensure_rustup_components(&["rustfmt", "clippy"])?;
    step("cargo fmt --check", || {
        cargo(&["fmt", "--all", "--", "--check"], &[])
    })?;
    step("cargo xtask codegen --check", || {
        crate::codegen::run(crate::codegen::Mode::Check)
    })?;
    step("cargo clippy (warnings denied)", || {
        cargo(
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )
    })?;
    // CI=true makes insta fail on missing or changed snapshots instead of writing them;
    // the fuzz test runs longer here than in the quick loop.
    step("cargo test --workspace", || {
        cargo(
            &["test", "--workspace"],
            &[("CI", "true"), ("FUZZ_ITERATIONS", "3000")],
        )
    })?;
    step(
        "cargo xtask lint (Spectral, Redocly, openapi-spec-validator)",
        crate::lint::run,
    )?;
    step(
        "cargo xtask contract (every operation against Prism)",
        crate::contract::run,
    )?;
    step(
        "cargo xtask sse-oracle (the server-sent events test expects what eventsource-parser dispatches)",
        crate::sse_oracle::run_oracle,
    )?;
    step(
        "cargo xtask fixtures (every fixture's crate compiles warning-free)",
        crate::corpus::run_fixtures,
    )?;
    step(
        "cargo xtask spec-diff-proof (the compiler agrees with every Rust verdict on tests/spec_diff)",
        crate::spec_diff::proof::run,
    )?;
    step(
        "cargo xtask compat (a user of a generated crate compiles after additions to the API)",
        crate::compat::run,
    )?;
    step(
        "cargo xtask corpus (real-world 3.0 and 3.1 specs generate warning-free, compiling crates)",
        crate::corpus::run_corpus,
    )?;
    step(
        "cargo xtask versions (the corpus converted to OpenAPI 3.1 gives the same client)",
        crate::versions::run,
    )?;
    step(
        "cargo xtask swagger2 (Swagger 2.0 documents: same surface as through swagger2openapi, compiling)",
        crate::swagger2::run_swagger2,
    )?;
    step(
        "round trip of real collections (openapi-to-postmanv2 on the corpus) through Collection",
        || {
            crate::roundtrip::run_roundtrip()?;
            cargo(
                &[
                    "test",
                    "-p",
                    "tests",
                    "--test",
                    "roundtrip",
                    "--",
                    "--ignored",
                    "--nocapture",
                ],
                &[],
            )
        },
    )?;
    step(
        "each tag feature of postman-client builds alone",
        crate::features::check_each,
    )?;
    step("cargo doc -p postman-client (warnings denied)", || {
        cargo(
            &["doc", "-p", "postman-client", "--no-deps"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        )
    })?;
    println!("\nci: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

fn step(name: &str, run: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    println!("\n==> {name}");
    let started = Instant::now();
    run().map_err(|e| format!("{name} failed: {e}"))?;
    println!("==> {name}: ok ({:.1?})", started.elapsed());
    Ok(())
}

fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(crate::root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` exited with {status}", args.join(" ")))
    }
}

/// rustfmt and clippy come with rustup's default profile, but not with the minimal one.
fn ensure_rustup_components(components: &[&str]) -> Result<(), String> {
    for component in components {
        let probe = match *component {
            "rustfmt" => ["fmt", "--version"],
            _ => ["clippy", "--version"],
        };
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let present = Command::new(&cargo)
            .args(probe)
            .output()
            .is_ok_and(|o| o.status.success());
        if !present {
            println!("==> installing {component} (rustup component add {component})");
            let status = Command::new("rustup")
                .args(["component", "add", component])
                .status()
                .map_err(|e| format!("cannot run rustup: {e}"))?;
            if !status.success() {
                return Err(format!("rustup component add {component} failed"));
            }
        }
    }
    Ok(())
}
