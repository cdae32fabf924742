//! Tests of `crate::ids`.
