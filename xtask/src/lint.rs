//! `cargo xtask lint`: checks `spec/postman.yaml` with three independent validators,
//! pinned and installed by [`crate::tools`]:
//!
//! - Spectral with the `spectral:oas` ruleset (`.spectral.yaml`; the example rules
//!   `oas3-valid-media-example` and `oas3-valid-schema-example` are errors),
//! - `redocly lint` (`redocly.yaml`: `recommended`, invalid examples are errors),
//! - `openapi-spec-validator` (Python, in `target/lint-venv/`).
//!
//! Each linter's output is printed; any error fails the command (warnings do not).

use crate::tools;
use std::process::Command;
use std::time::Instant;

const SPEC: &str = "spec/postman.yaml";

pub fn run() -> Result<(), String> {
    tools::ensure_npm()?;
    tools::ensure_venv()?;
    let root = crate::root();
    let linters: [(&str, Command); 3] = [
        ("spectral lint (spectral:oas)", {
            let mut c = Command::new(tools::node_bin("spectral"));
            c.args(["lint", SPEC, "--ruleset", ".spectral.yaml"])
                .args(["--fail-severity", "error"]);
            c
        }),
        ("redocly lint", {
            let mut c = Command::new(tools::node_bin("redocly"));
            c.args(["lint", SPEC, "--config", "redocly.yaml"]);
            c
        }),
        ("openapi-spec-validator", {
            let mut c = Command::new(tools::venv_bin("openapi-spec-validator"));
            c.arg(SPEC);
            c
        }),
    ];
    let mut failed = Vec::new();
    for (name, mut command) in linters {
        println!("--> {name}");
        let started = Instant::now();
        let status = command
            .current_dir(&root)
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
            .env("NO_COLOR", "1")
            .status()
            .map_err(|e| format!("cannot run {name}: {e}"))?;
        let verdict = if status.success() {
            "no errors"
        } else {
            failed.push(name);
            "ERRORS"
        };
        println!("--> {name}: {verdict} ({:.1?})", started.elapsed());
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{SPEC} has errors: {}", failed.join(", ")))
    }
}
