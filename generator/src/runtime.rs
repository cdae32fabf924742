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

impl RuntimeFile {
    /// Whether the crate for `api` needs this file: all do, except `ids.rs`
    /// (the `Uid` type), shipped only to APIs that have uids.
    pub fn is_needed_by(&self, api: &crate::model::Api) -> bool {
        self.name != UID_FILE || api.uses_uid()
    }
}

/// The runtime file of the `Uid` type.
pub const UID_FILE: &str = "ids.rs";

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
    "ids.rs",
    "limiter.rs",
    "options.rs",
    "rate_limit.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
];
