//! `cargo xtask sse-oracle`: the expected events of the runtime's server-sent events test
//! (`runtime/src/tests/stream/sse_oracle.json`) are what `eventsource-parser` (npm,
//! pinned) dispatches. `tests/sse/oracle.mjs` writes them again into `target/`, and the
//! pinned file must be the same, so the test's expectations come from that parser and
//! not from us.

use crate::tools::{ensure_npm, run};
use std::process::Command;

pub fn run_oracle() -> Result<(), String> {
    ensure_npm()?;
    let root = crate::root();
    let pinned = root
        .join("runtime")
        .join("src")
        .join("tests")
        .join("stream")
        .join("sse_oracle.json");
    let fresh = root.join("target").join("sse_oracle.json");
    run(Command::new("node")
        .arg(root.join("tests").join("sse").join("oracle.mjs"))
        .arg(&fresh)
        .current_dir(&root))?;
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
    };
    if read(&pinned)? != read(&fresh)? {
        return Err(format!(
            "{} is not what eventsource-parser dispatches; write it again with \
             `node tests/sse/oracle.mjs {}` and review the difference",
            pinned.display(),
            pinned.display()
        ));
    }
    println!(
        "sse-oracle: {} holds what eventsource-parser dispatches (cargo test -p client-runtime compares ours with it)",
        pinned.display()
    );
    Ok(())
}
