//! OpenAPI 3.0 in, the source of a Rust client crate out.
//!
//! The pipeline, one module per stage, none reaching back:
//!
//! 1. [`load`]: YAML or JSON text → [`load::Document`] (typed OpenAPI).
//! 2. [`lower`]: document → [`model::Api`], every `$ref` resolved (with [`resolve`]) and
//!    every Rust name decided (by [`naming`]).
//! 3. `emit`: model → token streams, one per file, plus the copied [`runtime`].
//! 4. [`format`]: tokens → text with prettyplease, laid out like written code (blank lines
//!    between items, doc comments wrapped at 100 columns).
//!
//! [`generate`] runs them all. [`check`] compares the result with a directory.

pub mod check;
mod emit;
pub mod error;
pub mod format;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod resolve;
pub mod runtime;
pub mod settings;
pub mod surface;

pub use error::{Error, Pointer, Warning};
pub use load::{Document, load};
pub use settings::Settings;

use std::collections::BTreeMap;

/// A generated crate.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Relative path (`src/lib.rs`, `Cargo.toml`, …) → contents.
    pub files: BTreeMap<String, String>,
    /// Constructs that fell back to a less precise type, with where they are.
    pub warnings: Vec<Warning>,
    /// The resolved model the files were emitted from.
    pub api: model::Api,
}

/// Generates the whole client crate from a loaded document.
pub fn generate(document: &Document, settings: &Settings) -> Result<Generated, Error> {
    on_big_stack(|| generate_here(document, settings))
}

fn generate_here(document: &Document, settings: &Settings) -> Result<Generated, Error> {
    settings.validate()?;
    let lower::Lowered { api, warnings } = lower::lower(document, settings)?;
    let files = emit::files(&api, settings).map_err(|e| document.sources.error(e))?;
    Ok(Generated {
        files,
        warnings,
        api,
    })
}

/// [`load`] then [`generate`].
pub fn generate_from_str(
    text: &str,
    origin: &str,
    settings: &Settings,
) -> Result<Generated, Error> {
    generate(&load(text, origin)?, settings)
}

/// Runs `f` on a thread with a stack large enough for the deepest document the generator
/// accepts (parsing and lowering recurse once per level of nesting, and a caller's thread,
/// a test's say, may have only 2 MiB). Deeper documents are refused with an error.
fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, f);
        match worker {
            Ok(worker) => worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => panic!("cannot start the generator's thread: {e}"),
        }
    })
}
