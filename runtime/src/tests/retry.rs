//! Tests of `crate::retry`.
