//! Each of the generated crate's per-tag features builds on its own, warning-free.

use std::process::Command;

pub fn check_each() -> Result<(), String> {
    let generated = crate::codegen::generate()?;
    let mut features: Vec<Option<&str>> = vec![None];
    features.extend(generated.api.modules.iter().map(|m| Some(m.name.as_str())));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for feature in features {
        let mut command = Command::new(&cargo);
        command
            .args([
                "clippy",
                "--quiet",
                "-p",
                "postman-client",
                "--no-default-features",
            ])
            .current_dir(crate::root());
        if let Some(feature) = feature {
            command.args(["--features", feature]);
        }
        command.args(["--", "-D", "warnings"]);
        let label = feature.unwrap_or("(none)");
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "postman-client with only feature {label} does not build warning-free"
            ));
        }
        println!("  feature {label}: ok");
    }
    Ok(())
}
