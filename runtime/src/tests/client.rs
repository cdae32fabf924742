//! Tests of `crate::client`.
