//! The project's automation, as a library so that tests run exactly what
//! `cargo xtask` runs (the freshness test calls [`codegen::generate`]).

pub mod ci;
pub mod codegen;
pub mod compat;
pub mod contract;
pub mod corpus;
pub mod features;
pub mod generate;
pub mod lint;
pub mod npm_pack;
pub mod roundtrip;
pub mod spec_diff;
pub mod sse_oracle;
pub mod swagger2;
pub mod tools;
pub mod versions;

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
