//! Tests of `crate::options`.
