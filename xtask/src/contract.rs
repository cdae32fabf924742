//! `cargo xtask contract`: the contract test against Prism.
//!
//! Starts `prism mock spec/postman.yaml` on a free port of 127.0.0.1 (log in
//! `target/contract/prism.log`), waits until it listens, then runs the `#[ignore]`d tests
//! of `tests/tests/contract.rs` with `PRISM_URL` set:
//!
//! 1. `every_operation_passes_prism_validation` calls all operations through the
//!    generated client; afterwards Prism's log must hold no `[VALIDATOR]` error (Prism
//!    logs every request it finds invalid, even when it still answers `2xx`);
//! 2. `prism_flags_wrong_requests` then sends deliberately wrong requests and checks
//!    that Prism flags each (run second, so its violations do not count against 1), and
//!    that they show up in the log (so the log scan of 1 is known to work).
//!
//! Prism is killed whatever happens.

use crate::tools;
use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to load the spec and listen.
const STARTUP: Duration = Duration::from_secs(90);

pub fn run() -> Result<(), String> {
    tools::ensure_npm()?;
    let root = crate::root();
    let dir = root.join("target").join("contract");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let log = dir.join("prism.log");
    let port = free_port()?;
    let prism = Prism::start(&root, port, &log, &[])?;
    let url = format!("http://127.0.0.1:{port}");

    run_test(&url, "every_operation_passes_prism_validation")?;
    let violations = validator_errors(&log)?;
    if !violations.is_empty() {
        return Err(format!(
            "Prism logged {} validation error(s) (see {}):\n{}",
            violations.len(),
            log.display(),
            violations.join("\n")
        ));
    }
    println!("--> Prism's log holds no validation error");
    run_test(&url, "prism_flags_wrong_requests")?;
    drop(prism);
    // The wrong requests must show up in the log too, or the scan above proves nothing.
    if validator_errors(&log)?.is_empty() {
        return Err(format!(
            "Prism's log ({}) shows no validation error even for the wrong requests: \
             the log scan no longer matches Prism's log format",
            log.display()
        ));
    }
    println!("--> the wrong requests show up in Prism's log as validation errors");

    // Invented bodies, members the schema does not name included, for every GET.
    let log = dir.join("prism-dynamic.log");
    let port = free_port()?;
    let prism = Prism::start(&root, port, &log, &["--dynamic"])?;
    let url = format!("http://127.0.0.1:{port}");
    run_in(
        "dynamic",
        "dynamic_bodies_round_trip_through_the_client_types",
        ("PRISM_DYNAMIC_URL", &url),
    )?;
    drop(prism);
    Ok(())
}

/// A port that was free a moment ago.
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("finding a free port: {e}"))
}

/// The running Prism; dropping it kills the process.
struct Prism(Child);

impl Prism {
    fn start(root: &Path, port: u16, log: &Path, extra: &[&str]) -> Result<Self, String> {
        let out = File::create(log).map_err(|e| format!("creating {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("opening {}: {e}", log.display()))?;
        let port_arg = port.to_string();
        println!(
            "--> prism mock spec/postman.yaml on 127.0.0.1:{port} (log: {})",
            log.display()
        );
        let child = Command::new(tools::node_bin("prism"))
            .args([
                "mock",
                "spec/postman.yaml",
                "-h",
                "127.0.0.1",
                "-p",
                &port_arg,
            ])
            .args(extra)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start prism: {e}"))?;
        let mut prism = Prism(child);
        prism.wait_until_listening(port, log)?;
        Ok(prism)
    }

    fn wait_until_listening(&mut self, port: u16, log: &Path) -> Result<(), String> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.0.try_wait() {
                return Err(format!(
                    "prism exited with {status} before listening:\n{}",
                    read(log)
                ));
            }
            // Prism logs its routes before it opens the port: the port alone is the signal.
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                println!("--> prism listens ({:.1?})", started.elapsed());
                return Ok(());
            }
            if started.elapsed() > STARTUP {
                return Err(format!(
                    "prism did not listen within {STARTUP:?}:\n{}",
                    read(log)
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Already gone is fine; there is nothing more to do about a failed kill.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run_test(url: &str, test: &str) -> Result<(), String> {
    run_in("contract", test, ("PRISM_URL", url))
}

/// Runs the `#[ignore]`d `test` of `tests/tests/<file>.rs` with `env` set.
fn run_in(file: &str, test: &str, env: (&str, &str)) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let args = [
        "test",
        "-p",
        "tests",
        "--test",
        file,
        "--",
        "--ignored",
        "--exact",
        test,
        "--nocapture",
    ];
    let status = Command::new(cargo)
        .args(args)
        .env(env.0, env.1)
        .current_dir(crate::root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` exited with {status}", args.join(" ")))
    }
}

/// The lines of Prism's log that report a request failing validation.
fn validator_errors(log: &Path) -> Result<Vec<String>, String> {
    let text =
        std::fs::read_to_string(log).map_err(|e| format!("reading {}: {e}", log.display()))?;
    Ok(text
        .lines()
        .filter(|line| {
            (line.contains("[VALIDATOR]") && (line.contains("error") || line.contains("warning")))
                || line.contains("Violation:")
        })
        .map(str::to_owned)
        .collect())
}

fn read(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_default()
}
