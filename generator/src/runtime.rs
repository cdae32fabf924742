//! The hand-written runtime shipped into every generated crate.
//!
//! These files are real Rust source compiled and unit-tested as part of the generated
//! crate (`generated/src/`); the generator only copies them. They depend on nothing from
//! the spec except the constants of the generated `meta` module.

/// One runtime source file.
pub struct RuntimeFile {
    /// File name under the generated crate's `src/`.
    pub name: &'static str,
    pub source: &'static str,
}

macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        &[$(RuntimeFile { name: $name, source: include_str!(concat!("runtime/", $name)) }),*]
    };
}

pub const FILES: &[RuntimeFile] = runtime_files![
    "binary.rs",
    "blocking.rs",
    "client.rs",
    "pagination.rs",
    "error.rs",
    "rate_limit.rs",
    "request.rs",
    "response.rs",
];
